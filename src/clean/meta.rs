//! Metadata found in page text: dates, bylines, picture credits.
