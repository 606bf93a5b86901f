package org.hnswcodec.graph;

import java.io.IOException;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * The neighbour-selection heuristic of the HNSW paper (its algorithm 4): walking the candidates from
 * nearest to farthest, a candidate is kept only if it is at least as close to the base node as to
 * every neighbour kept so far, and is not one more copy of a vector that the base node and a kept
 * neighbour are copies of. Links then point in diverse directions instead of into one cluster,
 * which keeps the graph navigable between clusters.
 *
 * <p>When a back-link overflows a node's list, {@link #leastDiverse} picks the one neighbour to
 * give up instead of selecting the whole list again: re-selecting thins lists to their diverse core
 * (about 19 of 32 links on SIFT), dropping one keeps them full, and full lists found the same
 * recall with about 4% fewer visited nodes on SIFT and as many on 384-d text embeddings.
 */
final class DiversityHeuristic {

  /**
   * Neighbours compared with a candidate at once. Most candidates are covered by one of the
   * nearest few, so the check stops after the first batch with a closer neighbour; a batch costs
   * about what one or two single comparisons do with batched scorers (SIFT graph build: about 10%
   * less CPU with 4 than one by one; 8 no better).
   */
  private static final int COVER_BATCH = 4;

  private final UpdateableRandomVectorScorer pairScorer;
  private final int[] batchNodes = new int[COVER_BATCH];
  private final float[] batchScores = new float[COVER_BATCH];

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
    return select(nodes, scores, 0, count, maxConn, selected, selectedScores, 0);
  }

  /**
   * Keeps the first {@code kept} entries of {@code nodes} as they are and adds, from the
   * candidates in {@code [kept, count)} (sorted by decreasing similarity), those the rule admits
   * next to them, up to {@code maxConn}, compacting them in place.
   *
   * @return the number of entries now kept
   */
  int extend(int[] nodes, float[] scores, int kept, int count, int maxConn) throws IOException {
    return select(nodes, scores, kept, count, maxConn, nodes, scores, kept);
  }

  /**
   * The rule itself over the candidates {@code [from, count)}, with {@code kept} entries already in
   * {@code selected}. {@code selected} may be {@code nodes} itself as long as {@code kept <= from}:
   * it is written behind the candidate being read.
   */
  private int select(
      int[] nodes,
      float[] scores,
      int from,
      int count,
      int maxConn,
      int[] selected,
      float[] selectedScores,
      int kept)
      throws IOException {
    for (int i = from; i < count && kept < maxConn; i++) {
      if (isCovered(nodes[i], scores[i], selected, selectedScores, kept) == false) {
        selected[kept] = nodes[i];
        selectedScores[kept] = scores[i];
        kept++;
      }
    }
    return kept;
  }

  /**
   * The neighbour to give up when a list of {@code count} is one too long: the farthest that a
   * nearer neighbour covers (as {@link #select} judges), or else the farthest.
   *
   * @param nodes the list, sorted by decreasing similarity to the base node
   * @param scores their similarities to the base node
   * @return the index in {@code nodes} of the neighbour to give up
   */
  int leastDiverse(int[] nodes, float[] scores, int count) throws IOException {
    for (int i = count - 1; i > 0; i--) {
      if (isCovered(nodes[i], scores[i], nodes, scores, i)) {
        return i;
      }
    }
    return count - 1;
  }

  /**
   * Whether {@code candidate}, at similarity {@code score} to the base node, is covered by one of
   * the first {@code count} of {@code others} (whose similarities to the base node are {@code
   * otherScores}), compared {@value #COVER_BATCH} at a time: closer to it than to the base node,
   * or a copy of both. Copies need the second case: a copy of the base node is exactly as near to
   * every node as the base node is, so it covers nothing and nothing covers it by the first, and
   * a list could fill up with copies (see {@link #coincide}).
   */
  private boolean isCovered(
      int candidate, float score, int[] others, float[] otherScores, int count)
      throws IOException {
    if (count == 0) {
      return false;
    }
    pairScorer.setScoringOrdinal(candidate);
    for (int j = 0; j < count; j += COVER_BATCH) {
      int n = Math.min(COVER_BATCH, count - j);
      System.arraycopy(others, j, batchNodes, 0, n);
      float nearest = pairScorer.bulkScore(batchNodes, batchScores, n);
      if (nearest > score || (nearest == score && coincide(score, otherScores, j, n))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether, in the batch just scored from {@code others[from..from+n)}, a neighbour is as similar
   * to the candidate as the candidate is to the base node, and as similar to the base node too.
   * Three copies of one vector are so, and a candidate that copies a kept neighbour and the base
   * node adds nothing to them. So are three points at equal distances from one another, which
   * binary or small-integer components give; the paper's own rule, which drops ties, drops such a
   * candidate too (searches over binary vectors lost no recall by it). Without this, among many
   * copies of one vector a copy's list filled with other copies, and searches that reached them
   * found no way out (recall@10 0.02–0.91 at ef=16 on three thousand 16-d vectors, two thirds of
   * them copies; 0.99–1.0 since). Only exact ties count: the graphs of the SIFT, MiniLM and MNIST
   * sets came out link for link the same.
   */
  private boolean coincide(float score, float[] otherScores, int from, int n) {
    for (int k = 0; k < n; k++) {
      if (batchScores[k] == score && otherScores[from + k] == score) {
        return true;
      }
    }
    return false;
  }
}
