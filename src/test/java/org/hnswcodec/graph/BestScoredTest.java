package org.hnswcodec.graph;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.lucene.tests.util.LuceneTestCase;

public class BestScoredTest extends LuceneTestCase {

  /**
   * The best {@code limit} nodes gathered, best first, ties in score broken by the higher node as a
   * bounded worst-first queue breaks them; fewer when fewer were gathered. Scores come from a few
   * values, negative ones among them, so that ties are common, or are all one value; counts run
   * past the initial capacity.
   */
  public void testSelectsWhatABoundedQueueKeeps() {
    SearchResults results = new SearchResults(1);
    for (int round = 0; round < 20; round++) {
      int limit = random().nextInt(1, 60);
      BestScored best = new BestScored(limit);
      NodeQueue queue = NodeQueue.worstFirst(limit + 1);
      int count = random().nextInt(0, 10 * limit);
      Integer[] nodes = new Integer[count];
      float[] scoreOf = new float[count];
      boolean allTied = round % 5 == 0;
      for (int node = 0; node < count; node++) {
        nodes[node] = node;
        scoreOf[node] = allTied ? 0.5f : (random().nextInt(8) - 3) / 8f;
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
          Comparator.<Integer>comparingDouble(n -> scoreOf[n]).thenComparing(n -> n).reversed());

      assertEquals(Math.min(limit, count), results.size());
      for (int i = 0; i < results.size(); i++) {
        assertEquals("rank " + i, (int) nodes[i], results.node(i));
        assertEquals(scoreOf[nodes[i]], results.score(i), 0f);
      }
      SearchResults fromQueue = new SearchResults(1);
      fromQueue.drain(queue);
      for (int i = 0; i < results.size(); i++) {
        assertEquals(fromQueue.node(i), results.node(i));
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
