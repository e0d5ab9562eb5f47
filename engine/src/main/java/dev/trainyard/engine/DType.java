package dev.trainyard.engine;

/**
 * Element types, with PyTorch's names and type-promotion rules.
 */
public enum DType {
    BOOL("bool", 1, Category.BOOL),
    UINT8("uint8", 1, Category.INTEGER),
    INT32("int32", 4, Category.INTEGER),
    INT64("int64", 8, Category.INTEGER),
    FLOAT32("float32", 4, Category.FLOATING),
    FLOAT64("float64", 8, Category.FLOATING);

    enum Category { BOOL, INTEGER, FLOATING }

    private final String pyName;
    private final int itemSize;
    private final Category category;

    DType(String pyName, int itemSize, Category category) {
        this.pyName = pyName;
        this.itemSize = itemSize;
        this.category = category;
    }

    /** The dtype floating-point results take when no float input decides it (torch.get_default_dtype()). */
    public static DType defaultFloat() {
        return FLOAT32;
    }

    public boolean isFloatingPoint() {
        return category == Category.FLOATING;
    }

    public boolean isIntegral() {
        return category == Category.INTEGER;
    }

    public boolean isBool() {
        return category == Category.BOOL;
    }

    public int itemSize() {
        return itemSize;
    }

    Category category() {
        return category;
    }

    /** torch.promote_types for the dtypes we have: the lattice is a chain, so the larger one wins. */
    public static DType promote(DType a, DType b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** The dtype a float-only op (exp, sqrt, true division) computes in for an input of this dtype. */
    public DType toFloating() {
        return isFloatingPoint() ? this : defaultFloat();
    }

    /** The name PyTorch prints, e.g. {@code float32}. */
    public String pyName() {
        return pyName;
    }

    public static DType fromName(String name) {
        for (DType d : values()) {
            if (d.pyName.equals(name) || d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; expected one of bool, uint8, int32, int64, float32, float64");
    }

    @Override
    public String toString() {
        return pyName;
    }
}
