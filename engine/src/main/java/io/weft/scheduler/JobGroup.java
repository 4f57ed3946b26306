package io.weft.scheduler;

/**
 * A named set of jobs a program can cancel together: the jobs a thread submits after {@code
 * WeftContext.setJobGroup(id, description)}. {@code description} is for logs and messages.
 */
public record JobGroup(String id, String description) {
  public JobGroup {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a job group needs a non-blank id");
    }
  }

  @Override
  public String toString() {
    return description == null || description.isBlank() ? "'" + id + "'" : "'" + id + "' (" + description + ")";
  }
}
