package org.hnswcodec.graph;

/**
 * Follows a beam search as it goes, for a caller that judges its progress or keeps its results
 * itself: Lucene's patience queries stop a search once its best hits have stopped changing, which
 * they can only see if the hits reach them while the beam moves rather than at its end; a
 * collector that counts parents keeps the best child of each from a walk on ({@link
 * BeamSearcher#searchOn}).
 */
public interface BeamListener {

  /**
   * An accepted node entered the beam (in a walk on, which has no beam, it is being expanded). It
   * may later leave it for better ones; the beam's final nodes are among those reported.
   */
  void entered(int node, float score);

  /** The neighbours of one more candidate have been scored. */
  void expanded();
}
