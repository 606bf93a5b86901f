package org.hnswcodec.tool;

import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.Query;

/**
 * The filter {@code bench --filter-percent} searches with: every document gets a bucket from 0 to
 * 99, a hash of its row, indexed as an {@link IntField}, and a range of buckets selects that
 * percentage of the documents wherever their vectors lie. Recall is then measured against the
 * exact nearest accepted rows, computed here, since the dataset's ground truth knows no filter.
 */
final class FilterBuckets {

  /** The bucket field. */
  static final String FIELD = "filter_bucket";

  private FilterBuckets() {}

  /** The bucket of a row: a multiplicative hash, so that neighbouring rows spread. */
  static int of(long row) {
    return (int) Long.remainderUnsigned((row * 0x9E3779B97F4A7C15L) >>> 16, 100);
  }

  /** Adds {@code row}'s bucket to a document. */
  static void add(Document doc, long row) {
    doc.add(new IntField(FIELD, of(row), Field.Store.NO));
  }

  /** The documents in buckets {@code [0, percent)}. */
  static Query filter(int percent) {
    return IntField.newRangeQuery(FIELD, 0, percent - 1);
  }

  /**
   * For each query row, the {@code k} base rows nearest to it among those the filter accepts,
   * nearest first, scored exhaustively; indexed by query row as a ground-truth file is.
   *
   * @throws InputException if the filter accepts fewer than {@code k} rows
   */
  static int[][] groundTruth(
      List<VectorRecord> base,
      List<VectorRecord> queries,
      VectorSimilarityFunction similarity,
      int percent,
      int k) {
    List<VectorRecord> accepted = base.stream().filter(r -> of(r.row()) < percent).toList();
    if (accepted.size() < k) {
      throw new InputException(
          "a filter of "
              + percent
              + "% accepts "
              + accepted.size()
              + " of the base's rows; recall@"
              + k
              + " needs "
              + k);
    }
    return GroundTruth.exact(accepted, queries, similarity, k);
  }
}
