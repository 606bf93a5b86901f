package org.hnswcodec.tool;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.hnswcodec.examples.ExactNeighbors;

/** Small generated datasets in every input format, and a way to run the tool in-process. */
final class ToolFixtures {

  private ToolFixtures() {}

  /** What one run of the tool printed and returned. */
  record Run(int exitCode, String out, String err) {

    /** Asserts that the tool exited with {@code exitCode} and printed each message as an error. */
    void assertError(int exitCode, String... messages) {
      assertEquals(err, exitCode, this.exitCode);
      for (String message : messages) {
        assertTrue(err, err.contains(message));
      }
    }

    /** Asserts that the tool succeeded and printed each of {@code texts} as output. */
    void assertOutput(String... texts) {
      assertEquals(err, 0, exitCode);
      for (String text : texts) {
        assertTrue(out, out.contains(text));
      }
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = HnswTool.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  /** Runs {@code hnsw-tool index} of {@code input} into {@code index}, with no progress bar. */
  static Run index(Path input, Path index, String... extra) {
    return run(List.of("index", input.toString(), "-i", index.toString(), "--no-progress"), extra);
  }

  /** Runs the tool with {@code args} followed by {@code extra}. */
  static Run run(List<String> args, String... extra) {
    return run(Stream.concat(args.stream(), Arrays.stream(extra)).toArray(String[]::new));
  }

  /** {@code count} vectors of {@code dimension} uniform values in [0, 1), the same for a seed. */
  static float[][] randomVectors(int count, int dimension, long seed) {
    Random random = new Random(seed);
    float[][] vectors = new float[count][dimension];
    for (float[] vector : vectors) {
      for (int i = 0; i < dimension; i++) {
        vector[i] = random.nextFloat();
      }
    }
    return vectors;
  }

  /** The exact {@code k} nearest base rows of each query by Euclidean distance, nearest first. */
  static int[][] groundTruth(float[][] base, float[][] queries, int k) {
    int[][] truth = new int[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      truth[q] = ExactNeighbors.topK(base, queries[q], k, VectorSimilarityFunction.EUCLIDEAN);
    }
    return truth;
  }


  /** Writes the vectors to {@code v.fvecs}, {@code v.npy} and {@code v.jsonl} in {@code dir}. */
  static List<Path> writeEveryFormat(Path dir, float[][] vectors) throws IOException {
    return List.of(
        writeFvecs(dir.resolve("v.fvecs"), vectors),
        writeNpy(dir.resolve("v.npy"), vectors),
        writeJsonl(dir.resolve("v.jsonl"), vectors));
  }

  static Path writeFvecs(Path file, float[][] vectors) throws IOException {
    // .fvecs differs from .ivecs only in what its 4-byte values mean: write each float's bits.
    int[][] bits = new int[vectors.length][];
    for (int row = 0; row < vectors.length; row++) {
      bits[row] = new int[vectors[row].length];
      for (int i = 0; i < bits[row].length; i++) {
        bits[row][i] = Float.floatToRawIntBits(vectors[row][i]);
      }
    }
    return writeIvecs(file, bits);
  }

  static Path writeIvecs(Path file, int[][] rows) throws IOException {
    ByteBuffer buffer =
        ByteBuffer.allocate(rows.length * (4 + 4 * rows[0].length)).order(ByteOrder.LITTLE_ENDIAN);
    for (int[] row : rows) {
      buffer.putInt(row.length);
      for (int v : row) {
        buffer.putInt(v);
      }
    }
    return Files.write(file, buffer.array());
  }

  /** A version 1.0 .npy file of a 2-D little-endian float32 array in C order. */
  static Path writeNpy(Path file, float[][] vectors) throws IOException {
    String dict =
        "{'descr': '<f4', 'fortran_order': False, 'shape': ("
            + vectors.length
            + ", "
            + vectors[0].length
            + "), }";
    // The header is padded with spaces and ends with a newline so that the data starts at a
    // multiple of 64 bytes, as NumPy writes it.
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer buffer =
        ByteBuffer.allocate(10 + header.length() + 4 * vectors.length * vectors[0].length)
            .order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    buffer.putShort((short) header.length());
    buffer.put(header.getBytes(StandardCharsets.ISO_8859_1));
    for (float[] vector : vectors) {
      for (float v : vector) {
        buffer.putFloat(v);
      }
    }
    return Files.write(file, buffer.array());
  }

  /**
   * JSON lines with the vector under "vector", a "title" naming the row and a "color" that cycles
   * through red, green and blue (so that row r is red when r % 3 == 0).
   */
  static Path writeJsonl(Path file, float[][] vectors) throws IOException {
    List<String> lines = new ArrayList<>();
    String[] colors = {"red", "green", "blue"};
    for (int row = 0; row < vectors.length; row++) {
      JsonObject o = new JsonObject();
      JsonArray vector = new JsonArray();
      for (float v : vectors[row]) {
        vector.add(v);
      }
      o.add("vector", vector);
      o.addProperty("title", "Item number " + row);
      o.addProperty("color", colors[row % 3]);
      lines.add(o.toString());
    }
    return Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
