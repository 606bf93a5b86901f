package org.hnswcodec.graph;

import java.io.IOException;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * The neighbour-selection heuristic of the HNSW paper (its algorithm 4): walking the candidates from
 * nearest to farthest, a candidate is kept only if it is at least as close to the base node as to
 * every neighbour kept so far. Links then point in diverse directions instead of into one cluster,
 * which keeps the graph navigable between clusters.
 */
final class DiversityHeuristic {

  private final UpdateableRandomVectorScorer pairScorer;
  private final float[] scratchScores;

  DiversityHeuristic(RandomVectorScorerSupplier scorers, int maxConn0) throws IOException {
    this.pairScorer = scorers.scorer();
    this.scratchScores = new float[maxConn0 + 1];
  }

  /**
   * Selects up to {@code maxConn} diverse neighbours.
   *
   * @param nodes candidates, sorted by decreasing similarity to the base node
   * @param scores their similarities to the base node
   * @param count number of candidates
   * @param selected receives the kept nodes, in the same order
   * @param selectedScores receives their similarities to the base node
   * @return the number of nodes kept
   */
  int select(
      int[] nodes, float[] scores, int count, int maxConn, int[] selected, float[] selectedScores)
      throws IOException {
    int kept = 0;
    for (int i = 0; i < count && kept < maxConn; i++) {
      int candidate = nodes[i];
      if (kept > 0) {
        pairScorer.setScoringOrdinal(candidate);
        float nearestKept = pairScorer.bulkScore(selected, scratchScores, kept);
        if (nearestKept > scores[i]) {
          continue; // closer to a kept neighbour than to the base node: that neighbour covers it
        }
      }
      selected[kept] = candidate;
      selectedScores[kept] = scores[i];
      kept++;
    }
    return kept;
  }
}
