package org.hnswcodec.tool;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The TEXMEX layout shared by {@code .fvecs} and {@code .ivecs}: every record is a little-endian
 * int32 dimension followed by that many 4-byte values. Checks that the file is a whole number of
 * records of one dimension, then reads raw records sequentially from a given row.
 */
final class TexmexFile implements Closeable {

  /** Larger first ints mean the file is not in this layout (or is not little-endian). */
  private static final int MAX_DIMENSION = 1 << 16;

  private final Path path;
  private final FileChannel channel;
  private final int dimension;
  private final long rows;
  private final ByteBuffer record;
  private InputStream in;

  TexmexFile(Path path) throws IOException {
    this.path = path;
    this.channel = FileChannel.open(path, StandardOpenOption.READ);
    boolean success = false;
    try {
      long bytes = channel.size();
      if (bytes < 4) {
        throw new InputException(path + " is empty or too short to hold a record");
      }
      ByteBuffer first = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(first, 0);
      dimension = first.getInt(0);
      if (dimension < 1 || dimension > MAX_DIMENSION) {
        throw new InputException(
            path
                + ": the first record's dimension is "
                + dimension
                + "; not a little-endian .fvecs/.ivecs file?");
      }
      long recordBytes = 4 + 4L * dimension;
      if (bytes % recordBytes != 0) {
        throw new InputException(
            path
                + ": "
                + bytes
                + " bytes is not a whole number of records of dimension "
                + dimension
                + " ("
                + recordBytes
                + " bytes each)");
      }
      rows = bytes / recordBytes;
      record = ByteBuffer.allocate((int) recordBytes).order(ByteOrder.LITTLE_ENDIAN);
      success = true;
    } finally {
      if (success == false) {
        channel.close();
      }
    }
  }

  int dimension() {
    return dimension;
  }

  long rows() {
    return rows;
  }

  /** Positions the reader before {@code row}. */
  void seek(long row) throws IOException {
    channel.position(row * record.capacity());
    in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
  }

  /**
   * Reads the record at the current position; {@code row} is only for the error message.
   *
   * @return a little-endian buffer positioned at the record's first value
   */
  ByteBuffer readRecord(long row) throws IOException {
    byte[] bytes = record.array();
    int read = in.readNBytes(bytes, 0, bytes.length);
    if (read != bytes.length) {
      throw new EOFException(path + ": truncated record at row " + row);
    }
    int recordDimension = record.getInt(0);
    if (recordDimension != dimension) {
      throw new InputException(
          path + ": row " + row + " has dimension " + recordDimension + ", row 0 has " + dimension);
    }
    return record.position(4);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
