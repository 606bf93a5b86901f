package org.hnswcodec.graph;

import java.io.IOException;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * The neighbour-selection heuristic of the HNSW paper (its algorithm 4): walking the candidates from
 * nearest to farthest, a candidate is kept only if it is at least as close to the base node as to
 * every neighbour kept so far. Links then point in diverse directions instead of into one cluster,
 * which keeps the graph navigable between clusters.
 *
 * <p>A node being inserted may keep more links than the diverse ones: {@link #selectThenFill} tops
 * its list up with the nearest candidates the rule passed over. Its own out-links cost no other
 * node a slot, and on SIFT they cut the nodes a search visits at recall 0.95 by about 7%.
 * Back-link pruning uses the plain rule, which keeps the lists of existing nodes diverse.
 */
final class DiversityHeuristic {

  private final UpdateableRandomVectorScorer pairScorer;
  private boolean[] passedOver = new boolean[0];

  DiversityHeuristic(RandomVectorScorerSupplier scorers) throws IOException {
    this.pairScorer = scorers.scorer();
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
    return select(nodes, scores, 0, count, maxConn, selected, selectedScores, 0, null);
  }

  /**
   * Like {@link #select}, then, while fewer than {@code fillTo} are kept, adds the nearest
   * candidates the rule passed over.
   */
  int selectThenFill(
      int[] nodes,
      float[] scores,
      int count,
      int maxConn,
      int fillTo,
      int[] selected,
      float[] selectedScores)
      throws IOException {
    if (passedOver.length < count) {
      passedOver = new boolean[count];
    }
    int kept = select(nodes, scores, 0, count, maxConn, selected, selectedScores, 0, passedOver);
    int target = Math.min(fillTo, maxConn);
    for (int i = 0; i < count && kept < target; i++) {
      if (passedOver[i]) {
        selected[kept] = nodes[i];
        selectedScores[kept] = scores[i];
        kept++;
      }
    }
    return kept;
  }

  /**
   * Keeps the first {@code kept} entries of {@code nodes} as they are and adds, from the
   * candidates in {@code [kept, count)} (sorted by decreasing similarity), those the rule admits
   * next to them, up to {@code maxConn}, compacting them in place.
   *
   * @return the number of entries now kept
   */
  int extend(int[] nodes, float[] scores, int kept, int count, int maxConn) throws IOException {
    return select(nodes, scores, kept, count, maxConn, nodes, scores, kept, null);
  }

  /**
   * The rule itself over the candidates {@code [from, count)}, with {@code kept} entries already in
   * {@code selected}; marks in {@code passedOver}, if given, the candidates it rejected. {@code
   * selected} may be {@code nodes} itself as long as {@code kept <= from}: it is written behind
   * the candidate being read.
   */
  private int select(
      int[] nodes,
      float[] scores,
      int from,
      int count,
      int maxConn,
      int[] selected,
      float[] selectedScores,
      int kept,
      boolean[] passedOver)
      throws IOException {
    int i = from;
    for (; i < count && kept < maxConn; i++) {
      int candidate = nodes[i];
      float score = scores[i];
      boolean covered = false;
      if (kept > 0) {
        pairScorer.setScoringOrdinal(candidate);
        // closer to a kept neighbour than to the base node: that neighbour covers it. Most
        // candidates are covered, usually by one of the nearest kept, so stop at the first.
        for (int j = 0; j < kept && covered == false; j++) {
          covered = pairScorer.score(selected[j]) > score;
        }
      }
      if (passedOver != null) {
        passedOver[i] = covered;
      }
      if (covered == false) {
        selected[kept] = candidate;
        selectedScores[kept] = score;
        kept++;
      }
    }
    if (passedOver != null) {
      java.util.Arrays.fill(passedOver, i, count, false);
    }
    return kept;
  }
}
