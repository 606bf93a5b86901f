package org.hnswcodec.graph;

import java.io.IOException;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.tests.util.LuceneTestCase;

/** The selection rule on points whose distances are known by construction. */
public class DiversityHeuristicTest extends LuceneTestCase {

  private static final VectorSimilarityFunction L2 = VectorSimilarityFunction.EUCLIDEAN;

  /** Candidates in a row behind the nearest one are covered by it and dropped. */
  public void testDropsCandidatesBehindAKeptNeighbour() throws IOException {
    // node 0 is the base at the origin; 1, 2, 3 lie on one ray, 4 on the opposite side
    float[][] points = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {-2.5f, 0}};
    int[] kept = select(points, new int[] {1, 2, 4, 3}, 8);
    assertArrayEquals(new int[] {1, 4}, kept);
  }

  /** Candidates in different directions are all kept, nearest first, up to maxConn. */
  public void testKeepsCandidatesInDifferentDirectionsUpToMaxConn() throws IOException {
    float[][] points = {{0, 0}, {1, 0}, {0, 1.1f}, {-1.2f, 0}, {0, -1.3f}};
    assertArrayEquals(new int[] {1, 2, 3, 4}, select(points, new int[] {1, 2, 3, 4}, 8));
    assertArrayEquals(new int[] {1, 2}, select(points, new int[] {1, 2, 3, 4}, 2));
  }

  /**
   * A candidate covered only by the sixth kept neighbour is dropped: the covering check goes on
   * past its first batch of neighbours.
   */
  public void testCoveredByALaterNeighbourIsDropped() throws IOException {
    // base 0 at the origin; 1..6 on six orthogonal axes, 7 just behind 6 on its axis, 8 on a
    // seventh axis. 7 is farther from every other kept neighbour than from the base.
    float[][] points = new float[9][8];
    for (int axis = 0; axis < 6; axis++) {
      points[axis + 1][axis] = 1 + axis / 100f;
    }
    points[7][5] = 1.1f;
    points[8][6] = 1.2f;
    assertArrayEquals(
        new int[] {1, 2, 3, 4, 5, 6, 8}, select(points, new int[] {1, 2, 3, 4, 5, 6, 7, 8}, 8));
  }

  /**
   * A copy of the base node covers nothing (every node is as near to it as to the base node), but
   * a second copy is covered by the first: one link among copies, the rest elsewhere.
   */
  public void testOneCopyOfTheBaseIsKept() throws IOException {
    // base 0 at the origin; 1 and 2 copies of it; 3 and 4 on opposite sides
    float[][] points = {{0, 0}, {0, 0}, {0, 0}, {1, 0}, {-1.5f, 0}};
    assertArrayEquals(new int[] {1, 3, 4}, select(points, new int[] {1, 2, 3, 4}, 8));
    // the same rule picks the neighbour an overflowing list gives up: the second copy, judging
    // all pairs, or only the newcomer's, whether the second copy joined last or the first did
    assertEquals(1, leastDiverse(points, new int[] {1, 2, 3, 4}));
    assertEquals(1, leastDiverse(points, new int[] {1, 2, 3, 4}, 1));
    assertEquals(1, leastDiverse(points, new int[] {1, 2, 3, 4}, 0));
  }

  /**
   * Three points at equal distances from one another are not copies: a candidate as near to a kept
   * neighbour as to the base node, which is as near to the base node, is kept, as any tie is.
   */
  public void testEquidistantCandidatesAreKept() throws IOException {
    // the base and 1, 2, 3 are four corners of a regular simplex: all at squared distance 2
    float[][] points = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    assertArrayEquals(new int[] {1, 2, 3}, select(points, new int[] {1, 2, 3}, 8));
    assertEquals(2, leastDiverse(points, new int[] {1, 2, 3}));
    assertEquals(2, leastDiverse(points, new int[] {1, 2, 3}, 2));
    assertEquals(2, leastDiverse(points, new int[] {1, 2, 3}, 0));
  }

  /** Judging all pairs, an overflowing list gives up its farthest neighbour that a nearer one covers. */
  public void testLeastDiverseIsTheFarthestCoveredNeighbour() throws IOException {
    // base 0 at the origin; 1, 2, 3 on one ray (2 and 3 covered by 1), 4 on the other side
    float[][] points = {{0, 0}, {1, 0}, {2, 0}, {-2.5f, 0}, {3, 0}};
    assertEquals(3, leastDiverse(points, new int[] {1, 2, 3, 4}));
    // every neighbour in its own direction: the farthest goes
    float[][] spread = {{0, 0}, {1, 0}, {0, 1.1f}, {-1.2f, 0}, {0, -1.3f}};
    assertEquals(3, leastDiverse(spread, new int[] {1, 2, 3, 4}));
  }

  /**
   * Judging only the newcomer's pairs (inner products), an overflowing list gives up the farthest
   * neighbour beyond the newcomer that it covers.
   */
  public void testTheNewcomerCoversAFartherNeighbour() throws IOException {
    // base 0 at the origin; 1, 2 and 4 on one ray, 3 on the other side; 1 joined last
    float[][] points = {{0, 0}, {1, 0}, {2, 0}, {-2.5f, 0}, {3, 0}};
    assertEquals(3, leastDiverse(points, new int[] {1, 2, 3, 4}, 0));
    // every neighbour in its own direction: the farthest goes
    float[][] spread = {{0, 0}, {1, 0}, {0, 1.1f}, {-1.2f, 0}, {0, -1.3f}};
    assertEquals(3, leastDiverse(spread, new int[] {1, 2, 3, 4}, 0));
  }

  /**
   * Judging only the newcomer's pairs, a newcomer that a nearer neighbour covers goes, even when a
   * farther one is not covered.
   */
  public void testACoveredNewcomerGoes() throws IOException {
    // base 0 at the origin; 3 (the newcomer) just past 1 on its ray; 2 and 4 in directions of their own
    float[][] points = {{0, 0}, {1, 0}, {0, 2}, {2.5f, 0.1f}, {-3, 0}};
    assertEquals(2, leastDiverse(points, new int[] {1, 2, 3, 4}, 2));
  }

  /**
   * Judging only the newcomer's pairs, pairs without it are not judged again: 2 stays though 1
   * covers it, and the farthest goes, here the newcomer, which nothing covers. Judging all pairs, 2
   * goes.
   */
  public void testPairsWithoutTheNewcomerAreNotJudgedAgain() throws IOException {
    float[][] points = {{0, 0}, {1, 0}, {2, 0}, {0, 2.5f}};
    assertEquals(2, leastDiverse(points, new int[] {1, 2, 3}, 2));
    assertEquals(1, leastDiverse(points, new int[] {1, 2, 3}));
  }

  /**
   * Judging only the newcomer's pairs, a three-way tie among the farther neighbours (the newcomer,
   * the base and a neighbour equally near, not copies) scores the neighbour against itself; the
   * scan then goes on from the newcomer and finds the nearer neighbour it covers.
   */
  public void testTheScanGoesOnFromTheNewcomerAfterATie() throws IOException {
    // base 0 at the origin, all six at squared distance 2 from it; 2 a copy of the newcomer 1;
    // 3 to 6 at squared distance 2 from 1 too: three-way ties that are not copies
    float[][] points = {
      {0, 0, 0, 0}, {1, 1, 0, 0}, {1, 1, 0, 0}, {1, 0, 1, 0}, {1, 0, -1, 0}, {0, 1, 1, 0}, {0, 1, 0, 1}
    };
    assertEquals(1, leastDiverse(points, new int[] {1, 2, 3, 4, 5, 6}, 0));
  }

  /** The neighbour an overflowing list gives up, judging all pairs. */
  private static int leastDiverse(float[][] points, int[] neighbors) throws IOException {
    return leastDiverse(points, neighbors, neighbors.length - 1, false);
  }

  /** The neighbour an overflowing list gives up, judging only pairs with {@code added}. */
  private static int leastDiverse(float[][] points, int[] neighbors, int added)
      throws IOException {
    return leastDiverse(points, neighbors, added, true);
  }

  private static int leastDiverse(
      float[][] points, int[] neighbors, int added, boolean newcomerPairsOnly) throws IOException {
    float[] scores = new float[neighbors.length];
    for (int i = 0; i < neighbors.length; i++) {
      scores[i] = L2.compare(points[0], points[neighbors[i]]);
    }
    return new DiversityHeuristic(GraphTestSupport.scorers(points, L2), newcomerPairsOnly)
        .leastDiverse(neighbors, scores, neighbors.length, added);
  }

  /** Selects among {@code candidates} (sorted nearest first) for base node 0. */
  private static int[] select(float[][] points, int[] candidates, int maxConn) throws IOException {
    DiversityHeuristic heuristic =
        new DiversityHeuristic(GraphTestSupport.scorers(points, L2), false);
    float[] scores = new float[candidates.length];
    for (int i = 0; i < candidates.length; i++) {
      scores[i] = L2.compare(points[0], points[candidates[i]]);
    }
    int[] selected = new int[candidates.length];
    float[] selectedScores = new float[candidates.length];
    int kept =
        heuristic.select(candidates, scores, candidates.length, maxConn, selected, selectedScores);
    return java.util.Arrays.copyOf(selected, kept);
  }
}
