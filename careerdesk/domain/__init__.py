"""Plain data and rules of a career conversation: no Qt, no database."""
