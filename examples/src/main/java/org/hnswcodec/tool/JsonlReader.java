package org.hnswcodec.tool;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads JSON lines: one object per line with the vector as a numeric array under a key ({@value
 * #VECTOR_KEY} by default) and any other members, which become text fields (strings as they are,
 * other values as their JSON). Blank lines are skipped and do not count as rows.
 */
final class JsonlReader extends VectorReader {

  /** The default key of the vector array. */
  static final String VECTOR_KEY = "vector";

  private final Path path;
  private final String vectorKey;
  private final BufferedReader lines;
  private final int dimension;
  private long lineNumber;
  private VectorRecord pending;

  private JsonlReader(Path path, RowRange rows, String vectorKey) throws IOException {
    super(rows);
    this.path = path;
    this.vectorKey = vectorKey;
    this.lines = Files.newBufferedReader(path, StandardCharsets.UTF_8);
    try {
      for (long skipped = 0; skipped < rows.start(); ) {
        if (nextLine().isBlank() == false) {
          skipped++;
        }
      }
      // The first record gives the dimension that every other one must have.
      this.pending = parse(nextNonBlankLine(), -1, rows.start());
      this.dimension = pending.vector().length;
    } catch (RuntimeException | IOException e) {
      lines.close();
      throw e;
    }
  }

  /** Opens {@code path}, positioned at the first row of {@code rows}. */
  static JsonlReader open(Path path, RowRange rows, String vectorKey) throws IOException {
    // One pass to count the records, so that the row range can be checked and progress shown.
    long total;
    try (BufferedReader counter = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      total = counter.lines().filter(line -> line.isBlank() == false).count();
    }
    return new JsonlReader(path, rows.within(total, path.toString()), vectorKey);
  }

  private String nextLine() throws IOException {
    String line = lines.readLine();
    if (line == null) {
      throw new InputException(path + " changed while it was read");
    }
    lineNumber++;
    return line;
  }

  private String nextNonBlankLine() throws IOException {
    String line;
    do {
      line = nextLine();
    } while (line.isBlank());
    return line;
  }

  private VectorRecord parse(String line, int expectedDimension, long row) {
    JsonObject object;
    try {
      JsonElement element = JsonParser.parseString(line);
      if (element.isJsonObject() == false) {
        throw error("is not a JSON object");
      }
      object = element.getAsJsonObject();
    } catch (JsonParseException e) {
      throw error("is not valid JSON (" + e.getMessage() + ")");
    }
    JsonElement vectorElement = object.get(vectorKey);
    if (vectorElement == null || vectorElement.isJsonArray() == false) {
      throw error("has no \"" + vectorKey + "\" array");
    }
    JsonArray array = vectorElement.getAsJsonArray();
    if (expectedDimension >= 0 && array.size() != expectedDimension) {
      throw error(
          "has a vector of "
              + array.size()
              + " dimensions; the first record's has "
              + expectedDimension);
    }
    float[] vector = new float[array.size()];
    for (int i = 0; i < vector.length; i++) {
      JsonElement value = array.get(i);
      if (value.isJsonPrimitive() == false || value.getAsJsonPrimitive().isNumber() == false) {
        throw error("has a non-numeric vector component " + i + ": " + value);
      }
      vector[i] = value.getAsFloat();
    }
    if (vector.length == 0) {
      throw error("has an empty vector");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> member : object.entrySet()) {
      JsonElement value = member.getValue();
      if (member.getKey().equals(vectorKey) == false && value.isJsonNull() == false) {
        boolean isString = value.isJsonPrimitive() && value.getAsJsonPrimitive().isString();
        fields.put(member.getKey(), isString ? value.getAsString() : value.toString());
      }
    }
    return new VectorRecord(row, vector, fields);
  }

  private InputException error(String problem) {
    return new InputException(path + ", line " + lineNumber + ": the record " + problem);
  }

  @Override
  int dimension() {
    return dimension;
  }

  @Override
  VectorRecord read(long row) throws IOException {
    VectorRecord record = pending != null ? pending : parse(nextNonBlankLine(), dimension, row);
    pending = null;
    return record;
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
