pub mod case;
pub mod generate;
pub mod import;
