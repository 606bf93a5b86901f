package org.hnswcodec.merge;

import java.io.IOException;
import org.hnswcodec.graph.LayeredGraph;

/** A vectors reader whose graphs a merge can start from. */
public interface ReusableGraphs {

  /**
   * The graph of {@code field} in this segment: empty if the segment has its vectors but no graph
   * (too few for one), null if it has no vectors of the field.
   */
  LayeredGraph graph(String field) throws IOException;

  /** M of {@code field}'s graph; only a graph built with the merge's own M can be reused. */
  int maxConn(String field);
}
