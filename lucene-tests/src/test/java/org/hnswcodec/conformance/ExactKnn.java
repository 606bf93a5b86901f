package org.hnswcodec.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The exact nearest neighbours of one query vector, found by scoring it against every indexed
 * vector with {@link VectorSimilarityFunction#compare}: the ground truth of {@link
 * TestQueryScenarios}. Documents are named by their id field, which survives merges and index
 * sorting, unlike docIDs.
 */
final class ExactKnn {

  /** A document, by id, and its similarity to the query. */
  record Hit(int id, float score) {}

  /** Score by id; NaN for a document without a vector. */
  private final float[] scores;

  private ExactKnn(float[] scores) {
    this.scores = scores;
  }

  /**
   * @param vectors the vector of each id, null where a document has none
   */
  static ExactKnn of(float[][] vectors, float[] target, VectorSimilarityFunction similarity) {
    float[] scores = new float[vectors.length];
    for (int id = 0; id < vectors.length; id++) {
      scores[id] = vectors[id] == null ? Float.NaN : similarity.compare(target, vectors[id]);
    }
    return new ExactKnn(scores);
  }

  /**
   * @param vectors the vector of each id, null where a document has none
   */
  static ExactKnn of(byte[][] vectors, byte[] target, VectorSimilarityFunction similarity) {
    float[] scores = new float[vectors.length];
    for (int id = 0; id < vectors.length; id++) {
      scores[id] = vectors[id] == null ? Float.NaN : similarity.compare(target, vectors[id]);
    }
    return new ExactKnn(scores);
  }

  boolean hasVector(int id) {
    return Float.isNaN(scores[id]) == false;
  }

  float score(int id) {
    return scores[id];
  }

  /** The k best documents with a vector that {@code accept} accepts, best first, ties by id. */
  List<Hit> topK(int k, IntPredicate accept) {
    List<Hit> hits = new ArrayList<>();
    for (int id = 0; id < scores.length; id++) {
      if (hasVector(id) && accept.test(id)) {
        hits.add(new Hit(id, scores[id]));
      }
    }
    hits.sort(
        (a, b) ->
            a.score() != b.score()
                ? Float.compare(b.score(), a.score())
                : Integer.compare(a.id(), b.id()));
    return hits.subList(0, Math.min(k, hits.size()));
  }
}
