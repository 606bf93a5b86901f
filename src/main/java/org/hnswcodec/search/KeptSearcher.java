package org.hnswcodec.search;

import org.hnswcodec.graph.BeamSearcher;
import org.hnswcodec.graph.VisitedSet;

/**
 * The beam searcher one thread keeps for one field's graph between its searches, so that a search
 * does not make its queues and buffers anew: kept, paired runs gave 1.047–1.064× the queries per
 * second on SIFT at ef=16 and 1.02–1.04× on MiniLM at ef=10. A search with the same beam as the
 * last one reuses the searcher; another beam gets a new one, sized for it, which replaces the
 * old, so that what a thread keeps stays proportional to its last beam (about 40 bytes a beam
 * slot: 4 KB at ef=100). The visited set is not kept: it may take a bit per vector of a small
 * segment, and keeping it gained only about 1% more.
 *
 * <p>Not thread-safe: the reader keeps one per thread and field.
 */
public final class KeptSearcher {

  private BeamSearcher searcher;
  private int beam;

  /**
   * The kept searcher if it was made for {@code beam}, else a new one that is kept instead; either
   * way with a new visited set.
   *
   * @param size the number of nodes in the graph
   * @param beam the beam width of the search
   * @param maxConn0 the most links of a node on layer 0
   */
  BeamSearcher forSearch(int size, int beam, int maxConn0) {
    VisitedSet visited = VisitedSet.forQuery(size, beam, maxConn0);
    if (searcher == null || this.beam != beam) {
      searcher = new BeamSearcher(visited, maxConn0, beam);
      this.beam = beam;
    } else {
      searcher.useVisited(visited);
    }
    return searcher;
  }
}
