package io.weft.io;

import io.weft.TaskContext;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;

/**
 * The lines of one {@link TextFilePartition}, read lazily by Hadoop's {@code LineRecordReader}
 * (which also decompresses: the codec is chosen from the file suffix). Life cycle, metrics and
 * failures as for every {@link FileRecordIterator}.
 */
final class LineReaderIterator extends FileRecordIterator<String> {
  private final TextFilePartition partition;
  private RecordReader<LongWritable, Text> reader;

  private LineReaderIterator(TextFilePartition partition, TaskContext task) {
    super(partition.path(), partition.start(), partition.length(), task);
    this.partition = partition;
  }

  /** Opens the partition's split and registers the reader's clean-up with {@code task}. */
  static LineReaderIterator open(TextFilePartition partition, TaskContext task) {
    return start(new LineReaderIterator(partition, task));
  }

  @Override
  protected void open() throws Exception {
    FileSplit split = new FileSplit(new Path(partition.path()), partition.start(),
        partition.length(), partition.hosts().toArray(new String[0]));
    TaskAttemptContext hadoopContext = HadoopTaskContexts.reading(task());
    reader = new TextInputFormat().createRecordReader(split, hadoopContext);
    reader.initialize(split, hadoopContext);
  }

  @Override
  protected String readNext() throws Exception {
    return reader.nextKeyValue() ? decode(reader.getCurrentValue()) : null;
  }

  /**
   * The line as a string. {@code Text.toString()} goes through a {@code CharsetDecoder} and a
   * temporary {@code CharBuffer} per line (half of a Grep's time in profiles); the
   * {@code String} constructor has a fast path for ASCII and Latin-1 bytes and replaces
   * malformed input with U+FFFD just as {@code Text.toString()} does.
   */
  static String decode(Text line) {
    return new String(line.getBytes(), 0, line.getLength(), StandardCharsets.UTF_8);
  }

  @Override
  protected void closeReader() throws Exception {
    if (reader != null) {
      reader.close();
    }
  }
}
