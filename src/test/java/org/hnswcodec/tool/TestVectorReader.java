package org.hnswcodec.tool;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TestVectorReader {

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private final float[][] vectors = ToolFixtures.randomVectors(50, 8, 1);

  @Test
  public void testEveryFormatReadsTheSameVectors() throws IOException {
    Path dir = temp.getRoot().toPath();
    for (Path file : ToolFixtures.writeEveryFormat(dir, vectors)) {
      List<VectorRecord> records = VectorReader.readAll(file, RowRange.ALL, "vector");
      assertEquals(file.toString(), vectors.length, records.size());
      for (int row = 0; row < vectors.length; row++) {
        assertEquals(row, records.get(row).row());
        assertArrayEquals(file.toString(), vectors[row], records.get(row).vector(), 0f);
      }
    }
  }

  @Test
  public void testRowRangeKeepsFileRows() throws IOException {
    Path dir = temp.getRoot().toPath();
    for (Path file : ToolFixtures.writeEveryFormat(dir, vectors)) {
      try (VectorReader reader = VectorReader.open(file, RowRange.parse("45:"), "vector")) {
        assertEquals(5, reader.size());
        assertEquals(8, reader.dimension());
        for (int row = 45; row < 50; row++) {
          VectorRecord record = reader.next();
          assertEquals(row, record.row());
          assertArrayEquals(vectors[row], record.vector(), 0f);
        }
        assertNull(reader.next());
      }
    }
  }

  @Test
  public void testJsonLinesFieldsBecomeText() throws IOException {
    Path file = temp.getRoot().toPath().resolve("v.jsonl");
    Files.writeString(
        file,
        "{\"vector\": [1, 2], \"title\": \"A b\", \"n\": 3, \"tags\": [\"x\"], \"none\": null}\n\n"
            + "{\"vector\": [3, 4]}\n",
        StandardCharsets.UTF_8);
    List<VectorRecord> records = VectorReader.readAll(file, RowRange.ALL, "vector");
    assertEquals(2, records.size());
    assertEquals("A b", records.get(0).fields().get("title"));
    assertEquals("3", records.get(0).fields().get("n"));
    assertEquals("[\"x\"]", records.get(0).fields().get("tags"));
    assertEquals(3, records.get(0).fields().size());
    assertEquals(1, records.get(1).row());
  }

  @Test
  public void testMalformedFilesSayWhatIsWrong() throws IOException {
    Path dir = temp.getRoot().toPath();
    Path truncated = dir.resolve("bad.fvecs");
    ToolFixtures.writeFvecs(truncated, vectors);
    Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(truncated), 100));
    assertMessage(truncated, "is not a whole number of records of dimension 8");

    Path jsonl = dir.resolve("bad.jsonl");
    Files.writeString(jsonl, "{\"vector\": [1, 2]}\n{\"vector\": [1, 2, 3]}\n");
    assertMessage(jsonl, "line 2: the record has a vector of 3 dimensions");
    Files.writeString(jsonl, "{\"vector\": [1, 2]}\n{\"vec\": [1, 2]}\n");
    assertMessage(jsonl, "line 2: the record has no \"vector\" array");
    Files.writeString(jsonl, "{\"vector\": [1, \"a\"]}\n");
    assertMessage(jsonl, "non-numeric vector component 1");

    Path npy = dir.resolve("bad.npy");
    ToolFixtures.writeNpy(npy, vectors);
    byte[] bytes = Files.readAllBytes(npy);
    String header = new String(bytes, StandardCharsets.ISO_8859_1).replace("<f4", "<f8");
    Files.write(npy, header.getBytes(StandardCharsets.ISO_8859_1));
    assertMessage(npy, "dtype '<f8' is not float32");

    assertMessage(dir.resolve("v.txt"), null);
    Files.writeString(dir.resolve("v.txt"), "1 2 3");
    assertMessage(dir.resolve("v.txt"), "cannot tell the format");
    ToolFixtures.writeFvecs(dir.resolve("ok.fvecs"), vectors);
    assertMessage(dir.resolve("ok.fvecs"), "has 50 rows; the row range starts at row 60", "60:");
  }

  private static void assertMessage(Path file, String expected) {
    assertMessage(file, expected, ":");
  }

  private static void assertMessage(Path file, String expected, String rows) {
    Exception e =
        assertThrows(
            Exception.class, () -> VectorReader.readAll(file, RowRange.parse(rows), "vector"));
    if (expected == null) {
      assertTrue(e.toString(), e instanceof java.nio.file.NoSuchFileException);
    } else {
      assertTrue(e.getMessage(), e.getMessage().contains(expected));
    }
  }

  @Test
  public void testRowRangeParsing() {
    assertEquals(new RowRange(3, 4), RowRange.parse("3"));
    assertEquals(new RowRange(0, 10), RowRange.parse(":10"));
    assertEquals(new RowRange(5, Long.MAX_VALUE), RowRange.parse("5:"));
    assertEquals(new RowRange(5, 6), RowRange.parse("5:100").within(6, "f"));
    assertThrows(IllegalArgumentException.class, () -> RowRange.parse("5:5"));
    assertThrows(IllegalArgumentException.class, () -> RowRange.parse("a:b"));
  }
}
