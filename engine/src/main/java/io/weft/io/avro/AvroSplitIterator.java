package io.weft.io.avro;

import io.weft.TaskContext;
import java.io.EOFException;
import io.weft.io.FileRecordIterator;
import io.weft.io.FileSplitPartition;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The records of one split of an Avro data file. The split owns the blocks whose sync marker
 * lies in its byte range: the reader seeks to the first sync marker at or after the split's start
 * ({@code DataFileReader.sync}) and stops at the first block that starts past its end
 * ({@code pastSync}), as avro-mapred does, so every block of a file tiled by splits is read once.
 *
 * <p>A file that ends inside a block (truncated) fails instead of losing the block. Records are
 * fresh objects (the datum reader is never given one to reuse), so a user may keep
 * them. Before the first record, the reader schema (if any) is checked against the file's schema,
 * and a mismatch fails naming both sides ({@link AvroSchemas#checkReadable}).
 */
final class AvroSplitIterator<T> extends FileRecordIterator<T> {
  private final FileSplitPartition split;
  private final String readerSchemaJson;
  private final Class<T> specificClass;
  private DataFileReader<T> reader;
  private long fileLength;

  AvroSplitIterator(FileSplitPartition split, String readerSchemaJson, Class<T> specificClass,
      TaskContext task) {
    super(split.path(), split.start(), split.length(), task);
    this.split = split;
    this.readerSchemaJson = readerSchemaJson;
    this.specificClass = specificClass;
  }

  @Override
  protected void open() throws Exception {
    Path path = new Path(split.path());
    FileSystem fs = path.getFileSystem(task().env().hadoopConf());
    Schema readerSchema = readerSchemaJson == null ? null : new Schema.Parser().parse(readerSchemaJson);
    DatumReader<T> datumReader = specificClass != null
        ? new SpecificDatumReader<>(specificClass)
        : new GenericDatumReader<>(null, readerSchema);
    HadoopSeekableInput input = new HadoopSeekableInput(fs, path);
    fileLength = input.length();
    try {
      reader = new DataFileReader<>(input, datumReader);
    } catch (Exception e) {
      input.close();
      throw e;
    }
    Schema expected = specificClass != null ? AvroSchemas.ofClass(specificClass) : readerSchema;
    if (expected != null) {
      AvroSchemas.checkReadable(split.path(), reader.getSchema(), expected);
    }
    reader.sync(split.start());
  }

  @Override
  protected T readNext() throws Exception {
    boolean more = reader.hasNext();
    if (reader.pastSync(split.end())) {
      return null;
    }
    if (more) {
      return reader.next();
    }
    // Avro's reader takes an end of file inside a block for the end of the data: a truncated
    // file would silently lose its last block. A complete file ends right after a sync marker.
    if (reader.previousSync() < fileLength) {
      throw new EOFException("truncated Avro data file: the block at byte " + reader.previousSync()
          + " ends past the end of the file (" + fileLength + " bytes)");
    }
    return null;
  }

  @Override
  protected String position() {
    try {
      return "block at byte " + reader.previousSync() + " of split bytes " + split.start() + "-" + split.end();
    } catch (Exception e) {
      return super.position();
    }
  }

  @Override
  protected void closeReader() throws Exception {
    if (reader != null) {
      reader.close();
    }
  }
}
