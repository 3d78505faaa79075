//! AWS VPC flow logs as text: a header line naming the fields, AWS's default 14
//! fields, `--aws-format`'s, or AWS's table order for longer lines.

use super::{Context, FirstLine, FlowFormat, Parser};
use crate::ingest::layout::{is_aws_header, AWS_DEFAULT_WIDTH, AWS_FIELDS};
use crate::ingest::text::TextFormat;
use crate::schema::{Col, LogSource};

pub struct AwsText;

pub const AWS_TEXT: AwsText = AwsText;

impl FlowFormat for AwsText {
    fn name(&self) -> &'static str {
        "aws"
    }

    fn label(&self) -> &'static str {
        "AWS VPC text"
    }

    fn about(&self) -> &'static str {
        "AWS VPC text (a header line, the 14-field default, or --aws-format)"
    }

    fn log_sources(&self) -> &'static [LogSource] {
        &[LogSource::AwsVpc]
    }

    fn fields(&self) -> Vec<Col> {
        AWS_FIELDS.iter().map(|f| f.col).collect()
    }

    fn detect(&self, first: &FirstLine<'_>, cx: &Context) -> bool {
        let toks = &first.tokens;
        is_aws_header(toks)
            || cx.aws_format.as_ref().map(Vec::len) == Some(toks.len())
            || ((AWS_DEFAULT_WIDTH..=AWS_FIELDS.len()).contains(&toks.len())
                && toks.get(2).is_some_and(|t| t.starts_with(b"eni-")))
    }

    fn parser(&self, _: &FirstLine<'_>, cx: &Context) -> Parser {
        Parser::Text(TextFormat::Aws(cx.aws.clone()))
    }
}
