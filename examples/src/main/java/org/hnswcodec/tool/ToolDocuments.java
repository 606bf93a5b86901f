package org.hnswcodec.tool;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * Turns vector records into the documents the tool indexes: the vector, the record's row (so that
 * search results map to dataset rows whatever docIDs merges give them) and any other fields as
 * stored text.
 */
final class ToolDocuments {

  /** The field holding each document's row in its source file, as doc values and stored. */
  static final String ROW_FIELD = "row";

  /** The default name of the vector field. */
  static final String VECTOR_FIELD = "vector";

  private final String vectorField;
  private final VectorSimilarityFunction similarity;
  private final boolean filterBuckets;

  ToolDocuments(String vectorField, VectorSimilarityFunction similarity) {
    this(vectorField, similarity, false);
  }

  /** @param filterBuckets whether documents also get the bench's {@link FilterBuckets} field */
  ToolDocuments(String vectorField, VectorSimilarityFunction similarity, boolean filterBuckets) {
    this.vectorField = vectorField;
    this.similarity = similarity;
    this.filterBuckets = filterBuckets;
  }

  /** Whether a record field of this name is indexed; false for the names the tool uses itself. */
  boolean indexes(String fieldName) {
    return fieldName.equals(ROW_FIELD) == false && fieldName.equals(vectorField) == false;
  }

  Document document(VectorRecord record) {
    Document doc = new Document();
    doc.add(new KnnFloatVectorField(vectorField, record.vector(), similarity));
    doc.add(new NumericDocValuesField(ROW_FIELD, record.row()));
    doc.add(new StoredField(ROW_FIELD, record.row()));
    if (filterBuckets) {
      FilterBuckets.add(doc, record.row());
    }
    record
        .fields()
        .forEach(
            (name, value) -> {
              if (indexes(name)) {
                doc.add(new TextField(name, value, Field.Store.YES));
              }
            });
    return doc;
  }
}
