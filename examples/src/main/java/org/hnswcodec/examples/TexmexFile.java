package org.hnswcodec.examples;

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
 * Reads files in the TEXMEX layout of the ANN benchmark datasets: {@code .fvecs} files hold float32
 * vectors, {@code .ivecs} files int32 rows (in ground truth, each query's nearest neighbours,
 * nearest first). Every record is a little-endian int32 dimension followed by that many 4-byte
 * values.
 *
 * <p>Opening checks that the file is a whole number of records of one dimension. Records are then
 * read in order from a chosen row, so that a file need not fit in memory; {@link #readFvecs} and
 * {@link #readIvecs} read a whole file. A file that is not in this layout is invalid input rather
 * than a failure to read it, so it is reported with an {@link IllegalArgumentException} that names
 * the file and what is wrong with it.
 */
public final class TexmexFile implements Closeable {

  /** Larger first ints mean the file is not in this layout (or is not little-endian). */
  private static final int MAX_DIMENSION = 1 << 16;

  private final Path path;
  private final FileChannel channel;
  private final int dimension;
  private final long rows;
  private final ByteBuffer record;
  private InputStream in;
  private long nextRow;

  /** Opens a file, positioned before its first record. */
  public TexmexFile(Path path) throws IOException {
    this.path = path;
    this.channel = FileChannel.open(path, StandardOpenOption.READ);
    boolean success = false;
    try {
      long bytes = channel.size();
      if (bytes < 4) {
        throw new IllegalArgumentException(path + " is empty or too short to hold a record");
      }
      ByteBuffer first = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(first, 0);
      dimension = first.getInt(0);
      if (dimension < 1 || dimension > MAX_DIMENSION) {
        throw new IllegalArgumentException(
            path
                + ": the first record's dimension is "
                + dimension
                + "; not a little-endian .fvecs/.ivecs file?");
      }
      long recordBytes = 4 + 4L * dimension;
      if (bytes % recordBytes != 0) {
        throw new IllegalArgumentException(
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
      seek(0);
      success = true;
    } finally {
      if (success == false) {
        channel.close();
      }
    }
  }

  /** All the vectors of an {@code .fvecs} file, in file order. */
  public static float[][] readFvecs(Path path) throws IOException {
    try (TexmexFile file = new TexmexFile(path)) {
      float[][] vectors = new float[Math.toIntExact(file.rows())][file.dimension()];
      for (float[] vector : vectors) {
        file.readFloats(vector);
      }
      return vectors;
    }
  }

  /** All the rows of an {@code .ivecs} file, in file order. */
  public static int[][] readIvecs(Path path) throws IOException {
    try (TexmexFile file = new TexmexFile(path)) {
      int[][] rows = new int[Math.toIntExact(file.rows())][file.dimension()];
      for (int[] row : rows) {
        file.readInts(row);
      }
      return rows;
    }
  }

  /** Number of values in every record. */
  public int dimension() {
    return dimension;
  }

  /** Number of records in the file. */
  public long rows() {
    return rows;
  }

  /** Positions the file before the record of {@code row}. */
  public void seek(long row) throws IOException {
    channel.position(row * record.capacity());
    in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
    nextRow = row;
  }

  /** Reads the next record, as float32 values, into {@code vector} of {@link #dimension} values. */
  public void readFloats(float[] vector) throws IOException {
    nextRecord().asFloatBuffer().get(vector);
  }

  /** Reads the next record, as int32 values, into {@code values} of {@link #dimension} values. */
  public void readInts(int[] values) throws IOException {
    nextRecord().asIntBuffer().get(values);
  }

  /** Reads the next record into a little-endian buffer positioned at its first value. */
  private ByteBuffer nextRecord() throws IOException {
    byte[] bytes = record.array();
    int read = in.readNBytes(bytes, 0, bytes.length);
    if (read != bytes.length) {
      throw new EOFException(path + ": truncated record at row " + nextRow);
    }
    int recordDimension = record.getInt(0);
    if (recordDimension != dimension) {
      throw new IllegalArgumentException(
          path
              + ": row "
              + nextRow
              + " has dimension "
              + recordDimension
              + ", row 0 has "
              + dimension);
    }
    nextRow++;
    return record.position(4);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
