package org.hnswcodec.tool;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.hnswcodec.codec.GraphInspector;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TestIndexCommand {

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private final float[][] vectors = ToolFixtures.randomVectors(300, 8, 2);

  @Test
  public void testArgumentErrors() throws IOException {
    Path input = ToolFixtures.writeFvecs(temp.getRoot().toPath().resolve("v.fvecs"), vectors);
    String index = temp.getRoot().toPath().resolve("index").toString();

    ToolFixtures.run("index", input.toString())
        .assertError(2, "Missing required option: '--index=DIR'");
    ToolFixtures.run("index", input.toString(), "-i", index, "-M", "1")
        .assertError(2, "maxConn (M) must be >= 2");
    ToolFixtures.run("index", input.toString(), "-i", index, "-M", "many")
        .assertError(2, "Invalid value for option '--max-conn': 'many'");
    ToolFixtures.run("index", input.toString(), "-i", index, "--similarity", "manhattan")
        .assertError(2, "expected one of [EUCLIDEAN");
    ToolFixtures.run("index", input.toString(), "-i", index, "--merge-threads", "0")
        .assertError(2, "--merge-threads must be >= 1");
    ToolFixtures.run("index", input.toString(), "-i", index, "--build-workers", "0")
        .assertError(2, "buildWorkers must be >= 1 and <= 128; got 0");
    ToolFixtures.run("index", input.toString(), "-i", index, "--min-graph-size", "-1")
        .assertError(2, "minGraphSize must be >= 0 and <= 2147483647; got -1");
    ToolFixtures.run("index", "missing.fvecs", "-i", index)
        .assertError(1, "hnsw-tool index: error: no such file: missing.fvecs");
    ToolFixtures.run("index", "--help").assertOutput("--ef-construction");
  }

  @Test
  public void testIndexesEveryFormat() throws IOException {
    Path dir = temp.getRoot().toPath();
    for (Path input : ToolFixtures.writeEveryFormat(dir, vectors)) {
      Path index = dir.resolve("index-" + input.getFileName());
      ToolFixtures.Run run =
          ToolFixtures.index(
              input,
              index,
              "-M",
              "8",
              "--ef-construction",
              "50",
              "--ram-buffer-mb",
              "1",
              "--merge-threads",
              "1",
              "--build-workers",
              "3",
              "--force-merge");
      run.assertOutput("documents: 300", "segments:  1", ".vex", "default ef=100, 3 build workers");
      try (Directory directory = FSDirectory.open(index);
          DirectoryReader reader = DirectoryReader.open(directory)) {
        assertEquals(300, reader.numDocs());
        LeafReaderContext leaf = reader.leaves().getFirst();
        assertEquals(8, GraphInspector.params(leaf.reader(), "vector").maxConn());
        Set<Long> rows = new HashSet<>();
        NumericDocValues values = leaf.reader().getNumericDocValues(ToolDocuments.ROW_FIELD);
        for (int doc = values.nextDoc();
            doc != DocIdSetIterator.NO_MORE_DOCS;
            doc = values.nextDoc()) {
          rows.add(values.longValue());
        }
        assertEquals(300, rows.size());
        if (input.toString().endsWith(".jsonl")) {
          StoredFields stored = reader.storedFields();
          String title = stored.document(0).get("title");
          assertTrue(title, title.startsWith("Item number "));
        }
      }
    }
  }

  @Test
  public void testRowsOption() throws IOException {
    Path input = ToolFixtures.writeFvecs(temp.getRoot().toPath().resolve("v.fvecs"), vectors);
    Path index = temp.getRoot().toPath().resolve("index");
    ToolFixtures.Run run = ToolFixtures.index(input, index, "--rows", "100:150");
    assertEquals(run.err(), 0, run.exitCode());
    try (Directory directory = FSDirectory.open(index);
        DirectoryReader reader = DirectoryReader.open(directory)) {
      assertEquals(50, reader.numDocs());
      RowMap rows = RowMap.load(reader);
      for (int doc = 0; doc < reader.maxDoc(); doc++) {
        assertTrue(rows.row(doc) >= 100 && rows.row(doc) < 150);
      }
    }
  }

  @Test
  public void testBadVectorFailsWithoutCommitting() throws IOException {
    float[][] withZero = vectors.clone();
    withZero[5] = new float[8];
    Path input = ToolFixtures.writeFvecs(temp.getRoot().toPath().resolve("v.fvecs"), withZero);
    Path index = temp.getRoot().toPath().resolve("index");
    ToolFixtures.Run run = ToolFixtures.index(input, index, "-s", "cosine");
    run.assertError(1, "v.fvecs, row 5: ", "zero vector");
    try (Directory directory = FSDirectory.open(index)) {
      assertFalse("nothing was committed", DirectoryReader.indexExists(directory));
    }
  }
}
