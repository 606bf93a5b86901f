package org.hnswcodec.tool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the records of one vector file in order, limited to a range of rows. {@link #open} picks
 * the reader of the file's format by its extension: {@code .fvecs}, {@code .npy} (2-D float32, C
 * order) or JSON lines ({@code .jsonl}, {@code .ndjson}).
 */
abstract class VectorReader implements Closeable {

  /** The extensions {@link #open} accepts, for messages. */
  static final String FORMATS = ".fvecs, .npy, .jsonl or .ndjson";

  private final RowRange rows;
  private long next;

  /**
   * @param rows the rows to return, within those of the file; the file must be positioned at the
   *     first
   */
  VectorReader(RowRange rows) {
    this.rows = rows;
    this.next = rows.start();
  }

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
      return FvecsReader.open(path, rows);
    } else if (name.endsWith(".npy")) {
      return NpyReader.open(path, rows);
    } else if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return JsonlReader.open(path, rows, vectorKey);
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

  /** Number of dimensions of every vector in the file. */
  abstract int dimension();

  /** Number of records this reader returns: those of the file within its row range. */
  final long size() {
    return rows.size();
  }

  /** The next record, or null after the last one. */
  final VectorRecord next() throws IOException {
    return next < rows.end() ? read(next++) : null;
  }

  /** Reads the record of {@code row}, which follows the one read before (if any) in the file. */
  abstract VectorRecord read(long row) throws IOException;
}
