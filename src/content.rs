//! content (to be written).
