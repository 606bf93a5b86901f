package org.hnswcodec.search;

import java.util.Objects;
import org.apache.lucene.search.knn.KnnSearchStrategy;

/**
 * A search strategy that sets ef (efSearch), the width of the beam a segment's graph is searched
 * with, independently of k. Pass it to Lucene's own queries:
 *
 * <pre>{@code
 * Query q = new KnnFloatVectorQuery("vector", target, 10, filter, new EfSearchStrategy(64));
 * }</pre>
 *
 * <p>Each segment explores a beam of {@code max(k, ef)} nodes and returns its best k, so an ef
 * below k acts as k. Here k is what Lucene asks of the segment: over several segments it asks each
 * for about its share of the query's k plus a margin (19 of k=10 from each of 7 equal segments), so
 * an ef below that changes nothing there. Formats other than {@code HnswCodec10} ignore ef and
 * search as with {@link KnnSearchStrategy.Hnsw}, whose filtered-search threshold this strategy also
 * carries. {@code HnswCodec10} does not use that threshold: a filtered search scores the accepted
 * vectors outright when a walk would cost more, and otherwise walks through the rejected ones (see
 * {@code GraphSearch}).
 */
public final class EfSearchStrategy extends KnnSearchStrategy.Hnsw {

  private final int ef;

  /**
   * @param ef the beam width, at least 1
   */
  public EfSearchStrategy(int ef) {
    this(ef, DEFAULT_FILTERED_SEARCH_THRESHOLD);
  }

  /**
   * @param ef the beam width, at least 1
   * @param filteredSearchThreshold as for {@link KnnSearchStrategy.Hnsw#Hnsw(int)}
   */
  public EfSearchStrategy(int ef, int filteredSearchThreshold) {
    super(filteredSearchThreshold);
    if (ef < 1) {
      throw new IllegalArgumentException("ef must be >= 1; got " + ef);
    }
    this.ef = ef;
  }

  /** The beam width. */
  public int ef() {
    return ef;
  }

  /**
   * The ef a search with this strategy asks for, looking through a {@link KnnSearchStrategy.Seeded}
   * wrapper (which Lucene adds when it searches a segment a second time); {@code defaultEf} when
   * the strategy sets none.
   */
  public static int efOf(KnnSearchStrategy strategy, int defaultEf) {
    return original(strategy) instanceof EfSearchStrategy efStrategy ? efStrategy.ef : defaultEf;
  }

  /** The strategy a query was given, under any {@link KnnSearchStrategy.Seeded} wrappers. */
  static KnnSearchStrategy original(KnnSearchStrategy strategy) {
    while (strategy instanceof KnnSearchStrategy.Seeded seeded) {
      strategy = seeded.originalStrategy();
    }
    return strategy;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && ((EfSearchStrategy) o).ef == ef;
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), ef);
  }

  @Override
  public String toString() {
    return "EfSearchStrategy(ef=" + ef + ", filteredSearchThreshold=" + filteredSearchThreshold()
        + ")";
  }
}
