package org.hnswcodec.graph;

import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.tests.util.LuceneTestCase;

public class VisitedSetTest extends LuceneTestCase {

  /** Both kinds agree with a plain set, across growth and clearing. */
  public void testMatchesAPlainSet() {
    int size = random().nextInt(1, 100_000);
    VisitedSet[] sets = {VisitedSet.forQuery(random().nextInt(1, 100)), VisitedSet.forBuild(size)};
    for (VisitedSet visited : sets) {
      for (int round = 0; round < 3; round++) {
        Set<Integer> expected = new HashSet<>();
        int visits = random().nextInt(1, 5000);
        for (int i = 0; i < visits; i++) {
          int node = random().nextInt(size);
          assertEquals("node " + node, expected.add(node), visited.visit(node));
        }
        visited.clear();
      }
    }
  }
}
