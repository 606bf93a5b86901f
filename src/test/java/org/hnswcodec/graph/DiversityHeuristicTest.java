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

  /** An inserted node tops its list up with the nearest candidates the rule passed over. */
  public void testFillTopsUpWithTheNearestPassedOver() throws IOException {
    float[][] points = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {-2.5f, 0}};
    assertArrayEquals(new int[] {1, 4, 2, 3}, select(points, new int[] {1, 2, 4, 3}, 8, 4));
    assertArrayEquals(new int[] {1, 4, 2}, select(points, new int[] {1, 2, 4, 3}, 8, 3));
    // never beyond maxConn, and no fill when the diverse ones already reach the target
    assertArrayEquals(new int[] {1, 4}, select(points, new int[] {1, 2, 4, 3}, 2, 4));
    assertArrayEquals(new int[] {1, 4}, select(points, new int[] {1, 2, 4, 3}, 8, 1));
  }

  /** Selects among {@code candidates} (sorted nearest first) for base node 0. */
  private static int[] select(float[][] points, int[] candidates, int maxConn) throws IOException {
    return select(points, candidates, maxConn, 0);
  }

  /** Selects, then tops up to {@code fillTo} when it is above zero. */
  private static int[] select(float[][] points, int[] candidates, int maxConn, int fillTo)
      throws IOException {
    DiversityHeuristic heuristic =
        new DiversityHeuristic(GraphTestSupport.scorers(points, L2));
    float[] scores = new float[candidates.length];
    for (int i = 0; i < candidates.length; i++) {
      scores[i] = L2.compare(points[0], points[candidates[i]]);
    }
    int[] selected = new int[candidates.length];
    float[] selectedScores = new float[candidates.length];
    int kept =
        fillTo > 0
            ? heuristic.selectThenFill(
                candidates, scores, candidates.length, maxConn, fillTo, selected, selectedScores)
            : heuristic.select(
                candidates, scores, candidates.length, maxConn, selected, selectedScores);
    return java.util.Arrays.copyOf(selected, kept);
  }
}
