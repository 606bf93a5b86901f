package org.hnswcodec.examples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads vector files in the TEXMEX layout: a sequence of records, each an int32 length {@code n}
 * followed by {@code n} values, everything little-endian. In {@code .fvecs} files the values are
 * float32 (one vector per record); in {@code .ivecs} files they are int32 (for ground truth, one
 * query's neighbour ids per record).
 */
public final class VectorFiles {

  private VectorFiles() {}

  /** All vectors of an {@code .fvecs} file, in file order; they must share one dimension. */
  public static float[][] readFvecs(Path path) throws IOException {
    ByteBuffer in = readAll(path);
    List<float[]> vectors = new ArrayList<>();
    while (in.hasRemaining()) {
      float[] vector = new float[nextLength(in, path)];
      for (int i = 0; i < vector.length; i++) {
        vector[i] = in.getFloat();
      }
      if (vectors.isEmpty() == false && vectors.get(0).length != vector.length) {
        throw new IOException(
            path + ": record " + vectors.size() + " has dimension " + vector.length
                + ", the first has " + vectors.get(0).length);
      }
      vectors.add(vector);
    }
    return vectors.toArray(new float[0][]);
  }

  /** All records of an {@code .ivecs} file, in file order. */
  public static int[][] readIvecs(Path path) throws IOException {
    ByteBuffer in = readAll(path);
    List<int[]> records = new ArrayList<>();
    while (in.hasRemaining()) {
      int[] record = new int[nextLength(in, path)];
      for (int i = 0; i < record.length; i++) {
        record[i] = in.getInt();
      }
      records.add(record);
    }
    return records.toArray(new int[0][]);
  }

  private static ByteBuffer readAll(Path path) throws IOException {
    return ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Reads a record's length and checks that the file holds that many 4-byte values after it. */
  private static int nextLength(ByteBuffer in, Path path) throws IOException {
    if (in.remaining() < Integer.BYTES) {
      throw new IOException(path + ": truncated record header at byte " + in.position());
    }
    int length = in.getInt();
    if (length < 0 || in.remaining() / Integer.BYTES < length) {
      throw new IOException(
          path + ": record at byte " + (in.position() - Integer.BYTES) + " claims " + length
              + " values; " + in.remaining() + " bytes remain");
    }
    return length;
  }
}
