package org.hnswcodec.graph;

import java.io.IOException;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * The neighbour-selection heuristic of the HNSW paper (its algorithm 4): walking the candidates from
 * nearest to farthest, a candidate is kept only if it is at least as close to the base node as to
 * every neighbour kept so far, and is not a copy of both the base node and a kept neighbour.
 * Links then point in diverse directions instead of into one cluster, which keeps the graph
 * navigable between clusters.
 *
 * <p>When a back-link overflows a node's list, {@link #leastDiverse} picks the one neighbour to
 * give up instead of selecting the whole list again: re-selecting thins lists to their diverse core
 * (about 19 of 32 links on SIFT), dropping one keeps them full, and full lists found the same
 * recall with about 4% fewer visited nodes on SIFT and as many on 384-d text embeddings.
 *
 * <p>Which pairs that choice judges depends on the similarity. Under a distance (Euclidean, and
 * cosine and dot product over unit vectors, which rank as a distance does) every pair: the
 * farthest neighbour that any nearer one covers goes. Under inner products of vectors of any
 * length, long vectors cover nearly everything, and judging old pairs again strips lists of links
 * that searches need: there only pairs with the newcomer are judged (recall@10 at ef=10 0.866
 * against 0.893 on 64-d Gaussian vectors with log-normal norms, Lucene's format 0.890; 0.954
 * against 0.976 on SIFT with 1% of the vectors ten times longer). Under a distance that rule
 * visited 1.3% more nodes at recall 0.95 on SIFT and 4% fewer at 0.99, and its longer scans
 * cost merges about a tenth more CPU, so it is kept to inner products.
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
  // whether an overflowing list judges only pairs with its newcomer (inner products)
  private final boolean newcomerPairsOnly;
  private final int[] batchNodes = new int[COVER_BATCH];
  private final float[] batchScores = new float[COVER_BATCH];
  private final int[] selfNode = new int[1];
  private final float[] selfScore = new float[1];

  /**
   * @param newcomerPairsOnly whether an overflowing list judges only pairs with the neighbour
   *     that joined last ({@link #leastDiverse}): for inner products
   */
  DiversityHeuristic(RandomVectorScorerSupplier scorers, boolean newcomerPairsOnly)
      throws IOException {
    this.pairScorer = scorers.scorer();
    this.newcomerPairsOnly = newcomerPairsOnly;
  }

  /** Whether neighbour selection under {@code similarity} judges only newcomers' pairs. */
  static boolean newcomerPairsOnly(VectorSimilarityFunction similarity) {
    return similarity == VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
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
   * The neighbour to give up when a list of {@code count} is one too long since {@code
   * nodes[added]} joined it: the farthest that a nearer neighbour covers (as {@link #select}
   * judges), or else the farthest. With {@code newcomerPairsOnly}, only pairs with the newcomer
   * count: the farthest neighbour beyond the newcomer that the newcomer covers, else the newcomer
   * if a nearer neighbour covers it, else the farthest.
   *
   * @param nodes the list, sorted by decreasing similarity to the base node
   * @param scores their similarities to the base node
   * @param added the index of the neighbour that joined last
   * @return the index in {@code nodes} of the neighbour to give up
   */
  int leastDiverse(int[] nodes, float[] scores, int count, int added) throws IOException {
    if (newcomerPairsOnly == false) {
      for (int i = count - 1; i > 0; i--) {
        if (isCovered(nodes[i], scores[i], nodes, scores, i)) {
          return i;
        }
      }
      return count - 1;
    }
    // the newcomer against those beyond it, farthest first, a batch at a time
    pairScorer.setScoringOrdinal(nodes[added]);
    for (int end = count; end > added + 1; end -= COVER_BATCH) {
      int start = Math.max(added + 1, end - COVER_BATCH);
      int n = end - start;
      System.arraycopy(nodes, start, batchNodes, 0, n);
      pairScorer.bulkScore(batchNodes, batchScores, n);
      for (int k = n - 1; k >= 0; k--) {
        float score = scores[start + k];
        if (batchScores[k] > score) {
          return start + k;
        }
        if (batchScores[k] == score && scores[added] == score) {
          // tied three ways: covered if they are copies of one vector, as in copiesOfOne
          if (isOwnSimilarity(nodes[start + k], score)) {
            return start + k;
          }
          pairScorer.setScoringOrdinal(nodes[added]);
        }
      }
    }
    if (isCovered(nodes[added], scores[added], nodes, scores, added)) {
      return added;
    }
    return count - 1;
  }

  /**
   * Whether {@code candidate}, at similarity {@code score} to the base node, is covered by one of
   * the first {@code count} of {@code others} (whose similarities to the base node are {@code
   * otherScores}), compared {@value #COVER_BATCH} at a time: closer to it than to the base node,
   * or a copy of both ({@link #copiesOfOne}).
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
      if (nearest > score
          || (nearest == score && copiesOfOne(candidate, score, otherScores, j, n))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the candidate, the base node and a neighbour of the batch just scored ({@code
   * others[from..from+n)}) are copies of one vector: the candidate as similar to the neighbour and
   * to the base node as to itself, and the neighbour as similar to the base node. A copy of the
   * base node is exactly as near to every node as the base node is, so by the strict rule nothing
   * covers it: among many copies of one vector the copies' lists filled with copies, and searches
   * that reached them found no way out (recall@10 0.02–0.91 at ef=16 on three thousand 16-d
   * vectors, two thirds of them copies; 0.99–1.0 since). The candidate's similarity to itself
   * tells copies from three points at equal distances from one another, as binary vectors with as
   * many ones each often are: those keep their links (covering them too cut such graphs' lists
   * from 32 links to 11–20 and recall@10 at ef=10 by up to a quarter). Only exact ties count: the
   * graphs of the SIFT, MiniLM and MNIST sets came out link for link the same.
   */
  private boolean copiesOfOne(
      int candidate, float score, float[] otherScores, int from, int n) throws IOException {
    for (int k = 0; k < n; k++) {
      if (batchScores[k] == score && otherScores[from + k] == score) {
        return isOwnSimilarity(candidate, score);
      }
    }
    return false;
  }

  /** Whether {@code node} is exactly {@code score} similar to itself (leaves the scorer on it). */
  private boolean isOwnSimilarity(int node, float score) throws IOException {
    pairScorer.setScoringOrdinal(node);
    selfNode[0] = node;
    pairScorer.bulkScore(selfNode, selfScore, 1);
    return selfScore[0] == score;
  }
}
