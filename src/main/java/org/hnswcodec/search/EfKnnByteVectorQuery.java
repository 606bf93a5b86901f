package org.hnswcodec.search;

import org.apache.lucene.search.KnnByteVectorQuery;
import org.apache.lucene.search.Query;

/** A {@link KnnByteVectorQuery} with an ef: shorthand for passing an {@link EfSearchStrategy}. */
public class EfKnnByteVectorQuery extends KnnByteVectorQuery {

  /**
   * @param field the vector field
   * @param target the query vector
   * @param k how many nearest documents to return
   * @param ef the beam width per segment (a value below k acts as k)
   */
  public EfKnnByteVectorQuery(String field, byte[] target, int k, int ef) {
    this(field, target, k, ef, null);
  }

  /**
   * @param filter documents that may be returned, or null for all
   */
  public EfKnnByteVectorQuery(String field, byte[] target, int k, int ef, Query filter) {
    super(field, target, k, filter, new EfSearchStrategy(ef));
  }

  /** The beam width. */
  public int getEf() {
    return ((EfSearchStrategy) getSearchStrategy()).ef();
  }

  @Override
  public String toString(String field) {
    return super.toString(field) + "[ef=" + getEf() + "]";
  }
}
