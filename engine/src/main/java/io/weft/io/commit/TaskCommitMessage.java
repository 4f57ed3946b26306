package io.weft.io.commit;

import java.io.Serializable;
import java.util.List;

/**
 * What a committed task attempt reports to the driver: which partition it committed, under which
 * Hadoop task attempt id, and the names of the files it wrote (relative to the output directory
 * once the job commits). The driver checks that every partition was committed exactly once.
 *
 * @param partitionId the partition whose output this is
 * @param taskAttemptId the Hadoop attempt id, e.g. {@code attempt_20261124074500_0003_m_000001_0}
 * @param files names of the files the attempt wrote
 */
public record TaskCommitMessage(int partitionId, String taskAttemptId, List<String> files)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public TaskCommitMessage {
    files = List.copyOf(files);
  }
}
