package io.weft.io.avro;

import java.io.IOException;
import org.apache.avro.file.SeekableInput;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An Avro {@link SeekableInput} over a file of any Hadoop file system (what avro-mapred's
 * {@code FsInput} does, without pulling in avro-mapred). Not thread-safe: one reader's.
 */
final class HadoopSeekableInput implements SeekableInput {
  private final FSDataInputStream stream;
  private final long length;

  HadoopSeekableInput(FileSystem fs, Path path) throws IOException {
    this.length = fs.getFileStatus(path).getLen();
    this.stream = fs.open(path);
  }

  @Override
  public void seek(long p) throws IOException {
    stream.seek(p);
  }

  @Override
  public long tell() throws IOException {
    return stream.getPos();
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return stream.read(b, off, len);
  }

  @Override
  public void close() throws IOException {
    stream.close();
  }
}
