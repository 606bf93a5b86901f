package org.hnswcodec.tool;

import java.io.IOException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.ScoreDoc;

/**
 * The dataset row of every document of an index, read once from the {@link ToolDocuments#ROW_FIELD}
 * doc values, so that results can be checked against ground truth by row rather than by docID.
 */
final class RowMap {

  private final long[] rows;

  private RowMap(long[] rows) {
    this.rows = rows;
  }

  /**
   * Loads the rows of every document.
   *
   * @throws InputException if a document has no row (the index was not written by this tool)
   */
  static RowMap load(IndexReader reader) throws IOException {
    long[] rows = new long[reader.maxDoc()];
    for (LeafReaderContext leaf : reader.leaves()) {
      NumericDocValues values = leaf.reader().getNumericDocValues(ToolDocuments.ROW_FIELD);
      int found = 0;
      if (values != null) {
        for (int doc = values.nextDoc();
            doc != DocIdSetIterator.NO_MORE_DOCS;
            doc = values.nextDoc()) {
          rows[leaf.docBase + doc] = values.longValue();
          found++;
        }
      }
      if (found != leaf.reader().maxDoc()) {
        throw new InputException(
            "the index has documents without a \""
                + ToolDocuments.ROW_FIELD
                + "\" doc value; only indexes written by 'hnsw-tool index' map results to rows");
      }
    }
    return new RowMap(rows);
  }

  /** The row of the document with this (top-level) docID. */
  long row(int doc) {
    return rows[doc];
  }

  /** The rows of these hits, in hit order. */
  long[] rowsOf(ScoreDoc[] hits) {
    long[] hitRows = new long[hits.length];
    for (int i = 0; i < hits.length; i++) {
      hitRows[i] = row(hits[i].doc);
    }
    return hitRows;
  }
}
