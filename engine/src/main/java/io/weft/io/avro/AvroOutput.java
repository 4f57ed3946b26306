package io.weft.io.avro;

import io.weft.TaskContext;
import io.weft.WeftContext;
import io.weft.io.CommittedOutput;
import io.weft.io.commit.HadoopCommitProtocol;
import io.weft.io.commit.TaskAttemptCommitter;
import io.weft.plan.Node;
import java.io.OutputStream;
import java.util.Iterator;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.hadoop.fs.Path;

/**
 * Saves generic or specific Avro records as Avro data files, one {@code part-NNNNN.avro} per
 * partition, through the commit protocol of {@link CommittedOutput}: {@code _SUCCESS} and every
 * part file, or nothing.
 *
 * <p>The schema and codec are checked on the driver before any task runs. A record that is not an
 * Avro record, or does not fit the schema, fails its task with a message naming the record's
 * class or the offending value, and the job leaves no output.
 */
public final class AvroOutput {
  private AvroOutput() {}

  /**
   * Runs a job writing {@code node}'s records to directory {@code path}.
   *
   * @param codec {@code null}, {@code deflate}, {@code snappy}, {@code zstandard}, {@code bzip2}
   *     or {@code xz} (Avro's names)
   */
  public static <T> void save(WeftContext ctx, Node<T> node, String path, Schema schema, String codec) {
    save(ctx::runJob, ctx, node, path, schema, codec);
  }

  /** {@link #save(WeftContext, Node, String, Schema, String)} with jobs run by {@code runner}. */
  public static <T> void save(CommittedOutput.JobRunner runner, WeftContext ctx, Node<T> node, String path,
      Schema schema, String codec) {
    if (schema == null) {
      throw new IllegalArgumentException("saveAsAvroFile(" + path + "): the schema is null");
    }
    AvroSchemas.codec(codec);
    CommittedOutput.save(runner, ctx.hadoopConfiguration(), ctx.recovery(), node, path,
        writer(schema.toString(), codec));
  }

  private static <T> CommittedOutput.PartitionWriter<T> writer(String schemaJson, String codec) {
    return (attempt, task, records) -> writePart(attempt, task, records, schemaJson, codec);
  }

  private static <T> void writePart(TaskAttemptCommitter attempt, TaskContext task, Iterator<T> records,
      String schemaJson, String codec) throws Exception {
    Schema schema = new Schema.Parser().parse(schemaJson);
    Path file = attempt.newTaskFile(HadoopCommitProtocol.partFileName(task.partitionId()) + ".avro");
    // SpecificDatumWriter writes generic records too (SpecificData extends GenericData).
    try (OutputStream out = attempt.fileSystem().create(file, false);
        DataFileWriter<Object> writer = new DataFileWriter<>(new SpecificDatumWriter<>(schema))) {
      writer.setCodec(AvroSchemas.codec(codec));
      writer.create(schema, out);
      long n = 0;
      while (records.hasNext()) {
        Object record = records.next();
        if (!(record instanceof IndexedRecord)) {
          throw new IllegalArgumentException("saveAsAvroFile: record " + n + " of partition "
              + task.partitionId() + " is a " + (record == null ? "null" : record.getClass().getName())
              + ", not an Avro record (GenericRecord or SpecificRecord)");
        }
        writer.append(record);
        n++;
      }
    }
  }
}
