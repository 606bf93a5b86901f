package org.hnswcodec.scoring;

import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * A scorer that compares its query with the nodes of a bulk request four or eight at a time.
 * Subclasses hold the vectors and run the kernels; this class cuts a request into batches.
 */
abstract class BatchScorer
    extends UpdateableRandomVectorScorer.AbstractUpdateableRandomVectorScorer {

  /** The nodes of the batch being compared: {@link #compare} reads the first four or eight. */
  final int[] batchNodes = new int[8];

  BatchScorer(KnnVectorValues values) {
    super(values);
  }

  @Override
  public final float bulkScore(int[] nodes, float[] scores, int numNodes) {
    float max = Float.NEGATIVE_INFINITY;
    for (int from = 0; from < numNodes; from += 8) {
      int count = Math.min(8, numNodes - from);
      // A short batch is padded with its last vector, just read and in the cache: an insertion's
      // batches are a few to thirty vectors, and a full four or eight costs less than scoring the
      // rest one by one.
      int width = count > 4 ? 8 : 4;
      for (int v = 0; v < width; v++) {
        batchNodes[v] = nodes[from + Math.min(v, count - 1)];
      }
      compare(width == 8);
      for (int v = 0; v < count; v++) {
        float score = batchScore(v);
        scores[from + v] = score;
        max = Math.max(max, score);
      }
    }
    return max;
  }

  /** Compares the query with the first eight (or four) of {@link #batchNodes}. */
  abstract void compare(boolean eight);

  /** The score of the {@code v}-th node of the last {@link #compare}, as Lucene would give it. */
  abstract float batchScore(int v);
}
