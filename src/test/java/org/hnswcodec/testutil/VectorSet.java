package org.hnswcodec.testutil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Vectors and ground truth for tests: the bundled SIFT set, or generated data. */
public final class VectorSet {

  /** The bundled SIFT subset, relative to the repository root (Maven's working directory). */
  public static final Path SIFT_DIR = Path.of("examples", "data", "bigann10k");

  private VectorSet() {}

  /** The 9,900 SIFT base vectors. */
  public static float[][] siftBase() throws IOException {
    return readFvecs(SIFT_DIR.resolve("bigann10k_disjoint_base.fvecs"));
  }

  /** The 100 SIFT queries. */
  public static float[][] siftQueries() throws IOException {
    return readFvecs(SIFT_DIR.resolve("bigann10k_query.fvecs"));
  }

  /** Exact nearest base rows of each SIFT query, nearest first (100 per query). */
  public static int[][] siftGroundTruth() throws IOException {
    return readIvecs(SIFT_DIR.resolve("bigann10k_disjoint_groundtruth.ivecs"));
  }

  static float[][] readFvecs(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<float[]> rows = new ArrayList<>();
    while (buffer.hasRemaining()) {
      float[] row = new float[buffer.getInt()];
      buffer.asFloatBuffer().get(row);
      buffer.position(buffer.position() + row.length * Float.BYTES);
      rows.add(row);
    }
    return rows.toArray(new float[0][]);
  }

  static int[][] readIvecs(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<int[]> rows = new ArrayList<>();
    while (buffer.hasRemaining()) {
      int[] row = new int[buffer.getInt()];
      buffer.asIntBuffer().get(row);
      buffer.position(buffer.position() + row.length * Integer.BYTES);
      rows.add(row);
    }
    return rows.toArray(new int[0][]);
  }

  /**
   * Clustered random vectors: points scattered around a few random centres, which, unlike uniform
   * noise, have the neighbourhood structure real embeddings have.
   */
  public static float[][] clustered(Random random, int count, int dimension, int clusters) {
    float[][] centres = new float[clusters][dimension];
    for (float[] centre : centres) {
      for (int d = 0; d < dimension; d++) {
        centre[d] = random.nextFloat() * 2 - 1;
      }
    }
    float[][] vectors = new float[count][dimension];
    for (int i = 0; i < count; i++) {
      float[] centre = centres[random.nextInt(clusters)];
      for (int d = 0; d < dimension; d++) {
        vectors[i][d] = centre[d] + (float) random.nextGaussian() * 0.15f;
      }
    }
    return vectors;
  }
}
