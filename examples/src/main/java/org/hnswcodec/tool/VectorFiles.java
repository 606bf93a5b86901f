package org.hnswcodec.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens vector files by their extension: {@code .fvecs}, {@code .npy} (2-D float32, C order) and
 * JSON lines ({@code .jsonl}, {@code .ndjson}).
 */
final class VectorFiles {

  private VectorFiles() {}

  /** The extensions {@link #open} accepts, for messages. */
  static final String FORMATS = ".fvecs, .npy, .jsonl or .ndjson";

  /**
   * Opens a reader over the records of {@code path} within {@code rows}.
   *
   * @param vectorKey the key of the vector array in JSON lines
   */
  static VectorReader open(Path path, RowRange rows, String vectorKey) throws IOException {
    if (Files.isRegularFile(path) == false) {
      throw new NoSuchFileException(path.toString(), null, "no such file");
    }
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".fvecs")) {
      return new FvecsReader(path, rows);
    } else if (name.endsWith(".npy")) {
      return new NpyReader(path, rows);
    } else if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return new JsonlReader(path, rows, vectorKey);
    }
    throw new InputException(
        "cannot tell the format of " + path + " from its name: expected " + FORMATS);
  }

  /** Reads all the records of {@code path} within {@code rows} into memory. */
  static List<VectorRecord> readAll(Path path, RowRange rows, String vectorKey) throws IOException {
    try (VectorReader reader = open(path, rows, vectorKey)) {
      List<VectorRecord> records = new ArrayList<>(Math.toIntExact(reader.size()));
      for (VectorRecord r = reader.next(); r != null; r = reader.next()) {
        records.add(r);
      }
      return records;
    }
  }
}
