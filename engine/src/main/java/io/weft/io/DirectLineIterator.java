package io.weft.io;

import io.weft.TaskContext;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The lines of one uncompressed {@link TextFilePartition}, read straight from the file system's
 * stream into one buffer and decoded from it: one copy per line where Hadoop's
 * {@code LineRecordReader} makes two (into a {@code Text}, then into the {@code String}); its
 * {@code readDefaultLine} and that copy were a quarter of a Grep's samples.
 *
 * <p>Same lines as {@code LineRecordReader} with the default delimiter, which {@link #applies}
 * checks (no codec for the file's suffix, no {@code textinputformat.record.delimiter}, no maximum
 * line length): a line ends at {@code \n}, {@code \r} or {@code \r\n} (not included); a UTF-8 byte
 * order mark at the start of the file is dropped. A split {@code [start, end)} owns the lines that
 * begin at a byte in {@code (start, end]} (in {@code [0, end]} for the first split), so it skips
 * the rest of the line it starts in and reads its last line past {@code end}: every line is read
 * by exactly one split, as with Hadoop's reader, which {@code DirectLineIteratorTest} checks.
 * Decoding as {@link LineReaderIterator#decode}: malformed UTF-8 becomes U+FFFD.
 *
 * <p>Threading, metrics and failures as for every {@link FileRecordIterator}; bytes are counted
 * by the file system's statistics as they are read.
 */
final class DirectLineIterator extends FileRecordIterator<String> {
  static final String DELIMITER_KEY = "textinputformat.record.delimiter";
  static final String MAX_LENGTH_KEY = "mapreduce.input.linerecordreader.line.maxlength";
  private static final int BUFFER_SIZE = 64 * 1024;

  private final TextFilePartition partition;
  private final Configuration conf;
  private FSDataInputStream in;
  private final byte[] buf = new byte[BUFFER_SIZE];
  private int bufPos;
  private int bufLen;
  /** The file offset of {@code buf[bufPos]}: where the next line begins between lines. */
  private long pos;
  private boolean eof;
  /** Bytes of a line that spans buffer refills. */
  private byte[] carry = new byte[256];
  private int carryLen;

  private DirectLineIterator(TextFilePartition partition, TaskContext task, Configuration conf) {
    super(partition.path(), partition.start(), partition.length(), task);
    this.partition = partition;
    this.conf = conf;
  }

  /** Whether this reader gives the same lines as Hadoop's for {@code path} under {@code conf}. */
  static boolean applies(String path, Configuration conf) {
    return conf.get(DELIMITER_KEY) == null
        && conf.getInt(MAX_LENGTH_KEY, Integer.MAX_VALUE) == Integer.MAX_VALUE
        && new CompressionCodecFactory(conf).getCodec(new Path(path)) == null;
  }

  /** Opens the partition's split and registers the reader's clean-up with {@code task}. */
  static DirectLineIterator open(TextFilePartition partition, TaskContext task, Configuration conf) {
    return start(new DirectLineIterator(partition, task, conf));
  }

  @Override
  protected void open() throws Exception {
    Path file = new Path(partition.path());
    FileSystem fs = file.getFileSystem(conf);
    in = fs.open(file, BUFFER_SIZE);
    pos = start();
    if (pos != 0) {
      in.seek(pos);
      skipLine(); // the line this split starts in belongs to the split before
    }
  }

  @Override
  protected String readNext() throws Exception {
    if (pos > end()) {
      return null;
    }
    boolean first = pos == 0;
    String line = readLine();
    if (first && line != null && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
      return line.substring(1); // Hadoop drops a UTF-8 byte order mark at the start of a file
    }
    return line;
  }

  /** Reads one line, or null at the end of the file; {@link #pos} moves past its delimiter. */
  private String readLine() throws Exception {
    carryLen = 0;
    boolean any = false;
    while (true) {
      if (bufPos == bufLen && !fill()) {
        return any ? decode(carry, 0, carryLen) : null;
      }
      any = true;
      int lineStart = bufPos;
      int i = indexOfDelimiter(buf, bufPos, bufLen);
      if (i < 0) {
        append(lineStart, bufLen);
        consume(bufLen);
        continue;
      }
      String line = carryLen == 0 ? decode(buf, lineStart, i - lineStart) : appendAndDecode(lineStart, i);
      consumeDelimiter(i);
      return line;
    }
  }

  /** Skips to the byte after the first delimiter (or to the end of the file). */
  private void skipLine() throws Exception {
    while (bufPos < bufLen || fill()) {
      int i = indexOfDelimiter(buf, bufPos, bufLen);
      if (i >= 0) {
        consumeDelimiter(i);
        return;
      }
      consume(bufLen);
    }
  }

  private static int indexOfDelimiter(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '\n' || c == '\r') {
        return i;
      }
    }
    return -1;
  }

  /** Consumes up to and including the delimiter at {@code i}: {@code \r\n} is one delimiter. */
  private void consumeDelimiter(int i) throws Exception {
    boolean cr = buf[i] == '\r';
    consume(i + 1);
    if (cr && (bufPos < bufLen || fill()) && buf[bufPos] == '\n') {
      consume(bufPos + 1);
    }
  }

  private void consume(int newBufPos) {
    pos += newBufPos - bufPos;
    bufPos = newBufPos;
  }

  /** Refills the (consumed) buffer; false at the end of the file. */
  private boolean fill() throws Exception {
    if (eof) {
      return false;
    }
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      if (n == 0) {
        throw new EOFException("read no bytes at offset " + pos);
      }
      eof = true;
      return false;
    }
    bufPos = 0;
    bufLen = n;
    return true;
  }

  private void append(int from, int to) {
    int n = to - from;
    if (carryLen + n > carry.length) {
      carry = Arrays.copyOf(carry, Math.max(carry.length * 2, carryLen + n));
    }
    System.arraycopy(buf, from, carry, carryLen, n);
    carryLen += n;
  }

  private String appendAndDecode(int from, int to) {
    append(from, to);
    return decode(carry, 0, carryLen);
  }

  private static String decode(byte[] bytes, int offset, int length) {
    return new String(bytes, offset, length, StandardCharsets.UTF_8);
  }

  @Override
  protected String position() {
    return "byte " + pos + " of split " + start() + "-" + end();
  }

  @Override
  protected void closeReader() throws Exception {
    if (in != null) {
      in.close();
    }
  }
}
