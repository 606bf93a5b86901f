package org.hnswcodec.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A larger base made from a bundled one, for {@code bench --grow-to}: the segments users search
 * hold far more than the 9,900 bundled SIFT vectors, and graph costs grow with the segment (a
 * search's descent and beam, a merge's insertions). Each row is a row of the original chosen at
 * random, plus Gaussian noise on every component, so that the grown set keeps the original's shape
 * (its clusters and its spread) without exact duplicates, which no graph could order. The noise's
 * standard deviation is {@code jitter} times the original's: the root mean square, over
 * components, of each component's standard deviation across the rows. The choice of rows and the
 * noise come from one fixed seed, so that every run grows the same base.
 */
final class GrownBase {

  /** The seed of the rows chosen and of the noise. */
  static final long SEED = 42;

  /**
   * The noise {@code bench --grow-to} adds unless told otherwise, in deviations of the base: about
   * 10 on SIFT, whose components spread by 33.
   */
  static final double DEFAULT_JITTER = 0.3;

  private GrownBase() {}

  /** {@code size} rows grown from {@code base} with noise of {@code jitter} deviations. */
  static List<VectorRecord> grow(List<VectorRecord> base, int size, double jitter) {
    double sigma = jitter * componentDeviation(base);
    Random random = new Random(SEED);
    List<VectorRecord> grown = new ArrayList<>(size);
    for (int row = 0; row < size; row++) {
      float[] original = base.get(random.nextInt(base.size())).vector();
      float[] vector = new float[original.length];
      for (int i = 0; i < vector.length; i++) {
        vector[i] = (float) (original[i] + sigma * random.nextGaussian());
      }
      grown.add(new VectorRecord(row, vector, Map.of()));
    }
    return grown;
  }

  /** How a report describes a base grown to {@code size} rows from {@code name}. */
  static String describe(String name, int size, double jitter) {
    return String.format(
        Locale.ROOT,
        "grown from %s to %,d rows, each a random row of it plus Gaussian noise of %.2f times its"
            + " components' deviation (seed %d); recall against exact neighbours computed by brute"
            + " force",
        name,
        size,
        jitter,
        SEED);
  }

  /** The root mean square over components of each component's standard deviation. */
  static double componentDeviation(List<VectorRecord> base) {
    int dimension = base.getFirst().vector().length;
    double[] sum = new double[dimension];
    double[] sumOfSquares = new double[dimension];
    for (VectorRecord record : base) {
      float[] vector = record.vector();
      for (int i = 0; i < dimension; i++) {
        sum[i] += vector[i];
        sumOfSquares[i] += (double) vector[i] * vector[i];
      }
    }
    double variance = 0;
    for (int i = 0; i < dimension; i++) {
      double mean = sum[i] / base.size();
      variance += Math.max(0, sumOfSquares[i] / base.size() - mean * mean);
    }
    return Math.sqrt(variance / dimension);
  }
}
