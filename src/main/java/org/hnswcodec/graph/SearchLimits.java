package org.hnswcodec.graph;

/**
 * What the caller of a search lets it spend and still wants: a budget of scored nodes and a floor
 * under which results are of no use (for instance because other segments already found k better
 * ones).
 */
public interface SearchLimits {

  /**
   * How many more nodes may be scored; {@link Long#MAX_VALUE} for no limit, 0 once the caller
   * wants the search stopped. Asked before every expanded node.
   */
  long visitsLeft();

  /** Reports that {@code count} more nodes were scored. */
  void visited(int count);

  /** Nodes scoring below this cannot help the caller; {@code -Infinity} when anything can. */
  float minScore();

  /** No budget and no floor, as when building a graph. */
  SearchLimits NONE =
      new SearchLimits() {
        @Override
        public long visitsLeft() {
          return Long.MAX_VALUE;
        }

        @Override
        public void visited(int count) {}

        @Override
        public float minScore() {
          return Float.NEGATIVE_INFINITY;
        }
      };
}
