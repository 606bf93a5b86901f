package org.hnswcodec.search;

import org.apache.lucene.tests.util.LuceneTestCase;
import org.hnswcodec.graph.BeamSearcher;

public class KeptSearcherTest extends LuceneTestCase {

  /** Searches with the beam of the last one reuse its searcher; another beam replaces it. */
  public void testReusesTheSearcherOfTheSameBeam() {
    KeptSearcher kept = new KeptSearcher();
    BeamSearcher first = kept.forSearch(10_000, 16, 32);
    assertSame(first, kept.forSearch(10_000, 16, 32));
    BeamSearcher wider = kept.forSearch(10_000, 64, 32);
    assertNotSame(first, wider);
    assertSame(wider, kept.forSearch(10_000, 64, 32));
    assertNotSame(first, kept.forSearch(10_000, 16, 32));
  }
}
