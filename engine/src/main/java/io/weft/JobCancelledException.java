package io.weft;

/**
 * A job was cancelled by the program: {@link WeftContext#cancelJob}, {@link
 * WeftContext#cancelJobGroup} or {@link WeftContext#cancelAllJobs}. Its running tasks were
 * interrupted and had ended, and an output job's partial output was aborted, before this was
 * thrown. The context stays usable for the next job.
 */
public class JobCancelledException extends JobFailedException {
  private final String jobGroup;

  public JobCancelledException(String message, String jobGroup) {
    super(message, null);
    this.jobGroup = jobGroup;
  }

  /** The group the job ran in ({@link WeftContext#setJobGroup}), or null if none. */
  public String jobGroup() {
    return jobGroup;
  }
}
