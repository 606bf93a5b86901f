package org.hnswcodec.testutil;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.hnswcodec.examples.TexmexFile;

/**
 * Vectors and ground truth for tests: the bundled SIFT set (read with the examples' {@link
 * TexmexFile}), or generated data.
 */
public final class VectorSet {

  /** The bundled SIFT subset, relative to the repository root (Maven's working directory). */
  public static final Path SIFT_DIR = Path.of("examples", "data", "bigann10k");

  private VectorSet() {}

  /** The 9,900 SIFT base vectors. */
  public static float[][] siftBase() throws IOException {
    return TexmexFile.readFvecs(SIFT_DIR.resolve("bigann10k_disjoint_base.fvecs"));
  }

  /** The 100 SIFT queries. */
  public static float[][] siftQueries() throws IOException {
    return TexmexFile.readFvecs(SIFT_DIR.resolve("bigann10k_query.fvecs"));
  }

  /** Exact nearest base rows of each SIFT query, nearest first (100 per query). */
  public static int[][] siftGroundTruth() throws IOException {
    return TexmexFile.readIvecs(SIFT_DIR.resolve("bigann10k_disjoint_groundtruth.ivecs"));
  }

  /** A SIFT vector (components 0 to 255) shifted into signed bytes, as an int8 field holds it. */
  public static byte[] siftAsBytes(float[] vector) {
    byte[] bytes = new byte[vector.length];
    for (int i = 0; i < vector.length; i++) {
      bytes[i] = (byte) (vector[i] - 128);
    }
    return bytes;
  }

  /** Byte components as floats, to compute exact neighbours of byte vectors. */
  public static float[] toFloats(byte[] bytes) {
    float[] floats = new float[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      floats[i] = bytes[i];
    }
    return floats;
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
