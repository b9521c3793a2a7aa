//! Windows and Active Directory collection.
