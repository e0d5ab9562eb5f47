package dev.trainyard.engine.data;

import dev.trainyard.engine.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A table of numeric feature columns and one label column, read from a CSV file at once.
 *
 * <pre>{@code
 * var iris = CsvDataset.builder(Path.of("iris.csv")).label("species").build();
 * Tensor x = iris.features();   // float32 [N, 4]
 * Tensor y = iris.labels();     // int64 [N]; iris.classes() names them if the column held strings
 * }</pre>
 *
 * <ul>
 *   <li>The label column is chosen by name (needs a header) or by index, and defaults to the last column; every other
 *       column is a float32 feature.</li>
 *   <li>Labels are int64 class indices. If the column holds integers they are used as they are; if it holds any
 *       non-numeric text, the distinct values are sorted and numbered from 0 ({@link #classes()}). With
 *       {@code floatLabels(true)} labels are float32 regression targets instead.</li>
 *   <li>Fields are separated by {@code delimiter} (default ','); surrounding whitespace and double quotes are removed
 *       ({@code ""} inside quotes is a quote). Blank lines are skipped; values may not be empty.</li>
 * </ul>
 * Errors name the file, the line number and the column.
 */
public final class CsvDataset implements Dataset<Sample> {
    private final Tensor features;
    private final Tensor labels;
    private final List<String> featureNames;
    private final String labelName;
    private final List<String> classes;

    private CsvDataset(Tensor features, Tensor labels, List<String> featureNames, String labelName, List<String> classes) {
        this.features = features;
        this.labels = labels;
        this.featureNames = featureNames;
        this.labelName = labelName;
        this.classes = classes;
    }

    public static Builder builder(Path file) {
        return new Builder(file);
    }

    public static final class Builder {
        private final Path file;
        private boolean header = true;
        private char delimiter = ',';
        private String labelName;
        private int labelIndex = -1;
        private boolean floatLabels;

        private Builder(Path file) {
            this.file = file;
        }

        /** Whether the first line names the columns (default true). */
        public Builder header(boolean header) {
            this.header = header;
            return this;
        }

        public Builder delimiter(char delimiter) {
            this.delimiter = delimiter;
            return this;
        }

        /** The label column by its header name. */
        public Builder label(String column) {
            this.labelName = column;
            this.labelIndex = -1;
            return this;
        }

        /** The label column by index (0-based; negative counts from the end, -1 is the last column). */
        public Builder label(int column) {
            this.labelIndex = column;
            this.labelName = null;
            return this;
        }

        /** Float32 labels for regression, instead of int64 class indices. */
        public Builder floatLabels(boolean floatLabels) {
            this.floatLabels = floatLabels;
            return this;
        }

        public CsvDataset build() {
            return read(this);
        }
    }

    private static CsvDataset read(Builder b) {
        String name = b.file.toString();
        List<String[]> rows = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        String[] header = null;
        try (BufferedReader r = Files.newBufferedReader(b.file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = split(line, b.delimiter, name, lineNo);
                if (header == null && b.header) {
                    header = fields;
                    continue;
                }
                int expected = header != null ? header.length : rows.isEmpty() ? fields.length : rows.getFirst().length;
                if (fields.length != expected) {
                    throw new IllegalArgumentException(name + " line " + lineNo + ": expected " + expected + " columns ("
                            + (header != null ? "as in the header" : "as in line " + lineNumbers.getFirst()) + "), found "
                            + fields.length);
                }
                rows.add(fields);
                lineNumbers.add(lineNo);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(name + ": file not found");
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
        if (b.header && header == null) {
            throw new IllegalArgumentException(name + ": the file is empty (expected a header line)");
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(name + ": no data rows");
        }
        int columns = rows.getFirst().length;
        if (columns < 2) {
            throw new IllegalArgumentException(name + ": expected at least 2 columns (features and a label), found " + columns);
        }
        String[] names = header;
        if (names == null) {
            names = new String[columns];
            for (int c = 0; c < columns; c++) {
                names[c] = String.valueOf(c);
            }
        }
        int label = labelColumn(b, names, name);

        int n = rows.size();
        int f = columns - 1;
        float[] x = new float[n * f];
        String[] rawLabels = new String[n];
        for (int i = 0; i < n; i++) {
            String[] row = rows.get(i);
            int k = 0;
            for (int c = 0; c < columns; c++) {
                if (c == label) {
                    rawLabels[i] = row[c];
                    continue;
                }
                x[i * f + k++] = (float) number(row[c], name, lineNumbers.get(i), names[c], c);
            }
        }
        List<String> featureNames = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            if (c != label) {
                featureNames.add(names[c]);
            }
        }
        Tensor labels;
        List<String> classes = List.of();
        if (b.floatLabels) {
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                y[i] = (float) number(rawLabels[i], name, lineNumbers.get(i), names[label], label);
            }
            labels = Tensor.of(y, n);
        } else {
            long[] y = new long[n];
            boolean numeric = true;
            for (int i = 0; i < n && numeric; i++) {
                numeric = isNumber(rawLabels[i]);
            }
            if (numeric) {
                for (int i = 0; i < n; i++) {
                    y[i] = classIndex(rawLabels[i], name, lineNumbers.get(i), names[label]);
                }
            } else {
                classes = List.copyOf(new TreeSet<>(List.of(rawLabels)));
                Map<String, Integer> index = new HashMap<>();
                for (int c = 0; c < classes.size(); c++) {
                    index.put(classes.get(c), c);
                }
                for (int i = 0; i < n; i++) {
                    if (rawLabels[i].isEmpty()) {
                        throw new IllegalArgumentException(name + " line " + lineNumbers.get(i) + ": empty label in column '"
                                + names[label] + "'");
                    }
                    y[i] = index.get(rawLabels[i]);
                }
            }
            labels = Tensor.of(y, n);
        }
        return new CsvDataset(Tensor.of(x, n, f), labels, List.copyOf(featureNames), names[label], classes);
    }

    private static int labelColumn(Builder b, String[] names, String file) {
        int columns = names.length;
        if (b.labelName != null) {
            if (!b.header) {
                throw new IllegalArgumentException(file + ": a label column name ('" + b.labelName + "') needs a header; "
                        + "use label(index) for a file without one");
            }
            for (int c = 0; c < columns; c++) {
                if (names[c].equals(b.labelName)) {
                    return c;
                }
            }
            throw new IllegalArgumentException(file + ": label column '" + b.labelName + "' not found in the header "
                    + List.of(names));
        }
        int idx = b.labelIndex < 0 ? columns + b.labelIndex : b.labelIndex;
        if (idx < 0 || idx >= columns) {
            throw new IllegalArgumentException(file + ": label column index " + b.labelIndex + " is out of range for "
                    + columns + " columns");
        }
        return idx;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return !s.isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double number(String s, String file, int line, String column, int index) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException(file + " line " + line + ": empty value in column '" + column + "' (" + index + ")");
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + line + ": value '" + s + "' in column '" + column + "' ("
                    + index + ") is not a number");
        }
    }

    private static long classIndex(String s, String file, int line, String column) {
        double v = Double.parseDouble(s);
        if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(file + " line " + line + ": label '" + s + "' in column '" + column
                    + "' is not a class index (a non-negative integer); use floatLabels(true) for regression targets");
        }
        return (long) v;
    }

    /** Splits one line, honouring double quotes. */
    static String[] split(String line, char delimiter, String file, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == '"' && field.toString().isBlank()) {
                quoted = true;
                wasQuoted = true;
                field.setLength(0);
            } else if (ch == delimiter) {
                out.add(wasQuoted ? field.toString() : field.toString().strip());
                field.setLength(0);
                wasQuoted = false;
            } else if (!wasQuoted || !Character.isWhitespace(ch)) {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(file + " line " + lineNo + ": unterminated quoted field");
        }
        out.add(wasQuoted ? field.toString() : field.toString().strip());
        return out.toArray(String[]::new);
    }

    /** All features, float32 {@code [N, F]}, in column order without the label column. */
    public Tensor features() {
        return features;
    }

    /** All labels: int64 {@code [N]} class indices, or float32 {@code [N]} with {@code floatLabels}. */
    public Tensor labels() {
        return labels;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public String labelName() {
        return labelName;
    }

    /** The label strings behind class indices 0, 1, ... when the label column held text; empty otherwise. */
    public List<String> classes() {
        return classes;
    }

    @Override
    public int size() {
        return features.size(0);
    }

    /** Row {@code index}: features float32 {@code [F]} and a 0-dim label. */
    @Override
    public Sample get(int index) {
        Dataset.checkIndex(index, size(), "CsvDataset");
        return Sample.of(features.select(0, index), labels.select(0, index));
    }
}
