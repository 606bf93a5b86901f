package org.hnswcodec.graph;

import org.apache.lucene.tests.util.LuceneTestCase;

public class SearchResultsTest extends LuceneTestCase {

  public void testDrainsAWorstFirstQueueBestFirst() {
    SearchResults results = new SearchResults(1);
    for (int round = 0; round < 3; round++) {
      NodeQueue queue = NodeQueue.worstFirst(4);
      int count = random().nextInt(0, 50);
      float[] scoreOf = new float[count];
      for (int node = 0; node < count; node++) {
        scoreOf[node] = random().nextFloat();
        queue.add(node, scoreOf[node]);
      }
      results.drain(queue);
      assertEquals(0, queue.size());
      assertEquals(count, results.size());
      for (int i = 0; i < count; i++) {
        assertEquals(scoreOf[results.node(i)], results.score(i), 0f);
        if (i > 0) {
          assertTrue(results.score(i - 1) >= results.score(i));
        }
      }
    }
  }
}
