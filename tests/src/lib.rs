//! Helpers of the real-system test tier (namespaces, lab hosts).

pub mod daemon;
pub mod exam_lab;
pub mod grading;
pub mod icinga2;
pub mod mountns;
pub mod netns;
pub mod nspawn;
pub mod postgres;
pub mod real;
pub mod samba;
pub mod serve;
mod shell;
pub mod sshhost;
pub mod webdriver;
pub mod zabbix;
