package org.hnswcodec.examples;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.annotations.SerializedName;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One passage of the bundled fiori documentation set: a line of {@code fiori_base.jsonl} or {@code
 * fiori_query.jsonl}. See {@code examples/data/README.md} for what the fields hold.
 *
 * @param row the line in its file, which is also the row of its vector in the matching {@code
 *     .fvecs} file
 * @param sourceRow the line in the original package's {@code records.jsonl}
 * @param id the passage's id
 * @param documentId the id of the document the passage was cut from
 * @param title the title of that document or section
 * @param category the documentation collection it belongs to, e.g. "Sapui5"
 * @param path where the document came from
 * @param chunkIndex the passage's position within its document
 * @param tagsJson tags, as a JSON array in a string
 * @param wordCount the number of words in {@code text}
 * @param text the passage's full text
 */
public record Passage(
    int row,
    @SerializedName("source_row") int sourceRow,
    String id,
    @SerializedName("document_id") String documentId,
    String title,
    String category,
    String path,
    @SerializedName("chunk_index") int chunkIndex,
    @SerializedName("tags_json") String tagsJson,
    int wordCount,
    String text) {

  private static final Gson GSON = new Gson();

  /**
   * Reads a JSON-lines file of passages, checking that each passage's {@code row} is its line
   * number, so that list index, row and vector row all agree.
   */
  public static List<Passage> readJsonLines(Path file) throws IOException {
    List<Passage> passages = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        Passage passage;
        try {
          passage = GSON.fromJson(line, Passage.class);
        } catch (JsonParseException e) {
          throw new IOException(file + ": line " + passages.size() + " is not a passage", e);
        }
        if (passage.row() != passages.size()) {
          throw new IOException(
              file + ": line " + passages.size() + " has row " + passage.row());
        }
        passages.add(passage);
      }
    }
    return passages;
  }
}
