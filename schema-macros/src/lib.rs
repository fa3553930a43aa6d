use proc_macro::TokenStream;
#[proc_macro]
pub fn schema(_i: TokenStream) -> TokenStream { TokenStream::new() }
