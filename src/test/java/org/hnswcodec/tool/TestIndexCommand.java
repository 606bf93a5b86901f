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

    ToolFixtures.Run run = ToolFixtures.run("index", input.toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err(), run.err().contains("Missing required option: '--index=DIR'"));

    run = ToolFixtures.run("index", input.toString(), "-i", index, "-M", "1");
    assertEquals(2, run.exitCode());
    assertTrue(run.err(), run.err().contains("maxConn (M) must be >= 2"));

    run = ToolFixtures.run("index", input.toString(), "-i", index, "-M", "many");
    assertEquals(2, run.exitCode());
    assertTrue(run.err(), run.err().contains("Invalid value for option '--max-conn': 'many'"));

    run = ToolFixtures.run("index", input.toString(), "-i", index, "--similarity", "manhattan");
    assertEquals(2, run.exitCode());
    assertTrue(run.err(), run.err().contains("expected one of [EUCLIDEAN"));

    run = ToolFixtures.run("index", input.toString(), "-i", index, "--merge-threads", "0");
    assertEquals(2, run.exitCode());
    assertTrue(run.err(), run.err().contains("--merge-threads must be >= 1"));

    run = ToolFixtures.run("index", "missing.fvecs", "-i", index);
    assertEquals(1, run.exitCode());
    assertTrue(
        run.err(), run.err().contains("hnsw-tool index: error: no such file: missing.fvecs"));

    run = ToolFixtures.run("index", "--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out(), run.out().contains("--ef-construction"));
  }

  @Test
  public void testIndexesEveryFormat() throws IOException {
    Path dir = temp.getRoot().toPath();
    Path[] inputs = {
      ToolFixtures.writeFvecs(dir.resolve("v.fvecs"), vectors),
      ToolFixtures.writeNpy(dir.resolve("v.npy"), vectors),
      ToolFixtures.writeJsonl(dir.resolve("v.jsonl"), vectors)
    };
    for (Path input : inputs) {
      Path index = dir.resolve("index-" + input.getFileName());
      ToolFixtures.Run run =
          ToolFixtures.run(
              "index",
              input.toString(),
              "-i",
              index.toString(),
              "--no-progress",
              "-M",
              "8",
              "--ef-construction",
              "50",
              "--ram-buffer-mb",
              "1",
              "--merge-threads",
              "1",
              "--force-merge");
      assertEquals(run.err(), 0, run.exitCode());
      assertTrue(run.out(), run.out().contains("documents: 300"));
      assertTrue(run.out(), run.out().contains("segments:  1"));
      assertTrue(run.out(), run.out().contains(".vex"));
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
    ToolFixtures.Run run =
        ToolFixtures.run(
            "index",
            input.toString(),
            "-i",
            index.toString(),
            "--no-progress",
            "--rows",
            "100:150");
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
    ToolFixtures.Run run =
        ToolFixtures.run(
            "index", input.toString(), "-i", index.toString(), "--no-progress", "-s", "cosine");
    assertEquals(1, run.exitCode());
    assertTrue(run.err(), run.err().contains("v.fvecs, row 5: "));
    assertTrue(run.err(), run.err().contains("zero vector"));
    try (Directory directory = FSDirectory.open(index)) {
      assertFalse("nothing was committed", DirectoryReader.indexExists(directory));
    }
  }
}
