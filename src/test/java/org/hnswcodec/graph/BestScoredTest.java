package org.hnswcodec.graph;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.lucene.tests.util.LuceneTestCase;

public class BestScoredTest extends LuceneTestCase {

  /**
   * The best {@code limit} nodes gathered, best first, ties in score broken by the higher node as a
   * bounded worst-first queue breaks them; fewer when fewer were gathered. Each gatherer serves
   * several searches in turn, as a searcher's does. Scores are all one value, or a few values,
   * negative ones among them, so that ties are common, or values from the ends of the float range
   * (infinities, zeros of both signs, the smallest and largest magnitudes, NaN, which sorts above
   * all); counts run past the initial capacity.
   */
  public void testSelectsWhatABoundedQueueKeeps() {
    float[] extremes = {
      Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1e-30f, -0f, 0f, Float.MIN_VALUE, 1e-30f, 1,
      Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN
    };
    SearchResults results = new SearchResults(1);
    for (int gatherer = 0; gatherer < 4; gatherer++) {
      int limit = random().nextInt(1, 60);
      BestScored best = new BestScored(limit);
      for (int round = 0; round < 6; round++) {
        NodeQueue queue = NodeQueue.worstFirst(limit + 1);
        int count = random().nextInt(0, 10 * limit);
        Integer[] nodes = new Integer[count];
        float[] scoreOf = new float[count];
        for (int node = 0; node < count; node++) {
          nodes[node] = node;
          scoreOf[node] =
              switch (round % 3) {
                case 0 -> 0.5f;
                case 1 -> (random().nextInt(8) - 3) / 8f;
                default -> extremes[random().nextInt(extremes.length)];
              };
        }
        // gathered in any order
        java.util.Collections.shuffle(Arrays.asList(nodes), random());
        for (int node : nodes) {
          best.add(node, scoreOf[node]);
          queue.insertWithOverflow(node, scoreOf[node], limit);
        }
        best.selectInto(results);
        Arrays.sort(
            nodes,
            Comparator.<Integer>comparingDouble(n -> scoreOf[n])
                .thenComparing(n -> n)
                .reversed());

        assertEquals(Math.min(limit, count), results.size());
        SearchResults fromQueue = new SearchResults(1);
        fromQueue.drain(queue);
        for (int i = 0; i < results.size(); i++) {
          assertEquals("rank " + i, (int) nodes[i], results.node(i));
          assertEquals(scoreOf[nodes[i]], results.score(i), 0f);
          assertEquals(fromQueue.node(i), results.node(i));
        }
      }
    }
  }

  /** A selection empties the gatherer, as does clear: the next search starts from nothing. */
  public void testStartsAfreshAfterSelectingAndClearing() {
    BestScored best = new BestScored(2);
    SearchResults results = new SearchResults(1);
    best.add(7, 0.9f);
    best.add(3, 0.5f);
    best.add(5, 0.7f);
    best.selectInto(results);
    assertEquals(2, results.size());
    assertEquals(7, results.node(0));
    assertEquals(5, results.node(1));

    best.add(1, 0.1f);
    best.selectInto(results);
    assertEquals(1, results.size());
    assertEquals(1, results.node(0));

    best.add(2, 0.2f);
    best.clear();
    best.add(4, 0.4f);
    best.selectInto(results);
    assertEquals(1, results.size());
    assertEquals(4, results.node(0));
  }
}
