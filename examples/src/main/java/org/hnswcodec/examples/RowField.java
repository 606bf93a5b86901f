package org.hnswcodec.examples;

import java.io.IOException;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;

/**
 * A stored field holding the row a document was made from in a data file. Ground truth names rows,
 * while Lucene names documents by docID, which merges and segment order may change; storing the row
 * keeps the mapping explicit.
 */
public final class RowField {

  /** The field's name. */
  public static final String NAME = "row";

  private static final Set<String> FIELDS_TO_LOAD = Set.of(NAME);

  private RowField() {}

  /** Adds the row to a document about to be indexed. */
  public static void add(Document doc, int row) {
    doc.add(new StoredField(NAME, row));
  }

  /** The row of a document loaded from the index with this field among its stored fields. */
  public static int rowOf(Document doc) {
    return doc.getField(NAME).numericValue().intValue();
  }

  /** The row of each hit, in hit order. */
  public static int[] rowsOf(IndexSearcher searcher, ScoreDoc[] hits) throws IOException {
    StoredFields storedFields = searcher.storedFields();
    int[] rows = new int[hits.length];
    for (int i = 0; i < hits.length; i++) {
      rows[i] = rowOf(storedFields.document(hits[i].doc, FIELDS_TO_LOAD));
    }
    return rows;
  }
}
