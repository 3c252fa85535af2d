pub mod accounts;
pub mod case;
pub mod desk;
pub mod generate;
pub mod history;
pub mod import;
pub mod packet;
pub mod rings;
