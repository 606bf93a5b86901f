package org.hnswcodec.graph;

/**
 * Follows a beam search as it goes, for a caller that judges its progress itself: Lucene's
 * patience queries stop a search once its best hits have stopped changing, which they can only see
 * if the hits reach them while the beam moves rather than at its end.
 */
public interface BeamListener {

  /**
   * An accepted node entered the beam. It may later leave it for better ones; the beam's final
   * nodes are among those reported.
   */
  void entered(int node, float score);

  /** The neighbours of one more candidate have been scored. */
  void expanded();
}
